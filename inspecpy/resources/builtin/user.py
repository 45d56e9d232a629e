"""The ``user`` resource: one account on the target."""

from __future__ import annotations

from functools import cached_property

from inspecpy.resources.base import Resource
from inspecpy.resources.parsers import parse_group, parse_passwd


class User(Resource):
    """A user account, from ``getent`` (so NSS sources count), else ``/etc/passwd``.

    Python::

        describe(user("root")).should.exist()
        describe(user("root")).its("uid").should.eq(0)
        describe(user("root")).its("shell").should.match("bash|sh$")

    YAML::

        - user: root
          should: [exist]
          its: {uid: {eq: 0}, home: {eq: /root}}
    """

    name = "user"

    def __init__(self, username: str):
        super().__init__()
        self.username = username

    @property
    def resource_id(self) -> str:
        return self.username

    @cached_property
    def _entry(self) -> dict | None:
        result = self.target.run("getent passwd {}", self.username)
        text = result.stdout if result.exit_status == 0 else self.target.read_text("/etc/passwd")
        return next((e for e in parse_passwd(text) if e["user"] == self.username), None)

    @cached_property
    def _groups(self) -> list[dict]:
        result = self.target.run("getent group")
        return parse_group(result.stdout if result.exit_status == 0 else self.target.read_text("/etc/group"))

    @property
    def exists(self) -> bool:
        return self._entry is not None

    def _field(self, key: str):
        return self._entry[key] if self._entry else None

    uid = property(lambda self: self._field("uid"), doc="The user id.")
    gid = property(lambda self: self._field("gid"), doc="The primary group id.")
    home = property(lambda self: self._field("home"), doc="The home directory.")
    shell = property(lambda self: self._field("shell"), doc="The login shell.")

    @property
    def group(self) -> str | None:
        """The primary group's name."""
        gid = self.gid
        return next((g["name"] for g in self._groups if g["gid"] == gid), None) if gid is not None else None

    @property
    def groups(self) -> list[str]:
        """The primary group and every group listing the user as a member."""
        if not self.exists:
            return []
        names = [self.group] if self.group else []
        names += [g["name"] for g in self._groups if self.username in g["members"] and g["name"] not in names]
        return names
