"""The ``passwd`` resource: every entry of ``/etc/passwd``."""

from __future__ import annotations

from functools import cached_property

from ..base import Resource
from ..parsers import parse_passwd


class Passwd(Resource):
    """The target's ``/etc/passwd`` (or another file in its format).

    Python::

        describe(passwd()).its("uids").should_not.contain_duplicates()
        describe(passwd().where(uid=0)).its("users").should.eq(["root"])

    YAML::

        - passwd: null
          should_not: []
          its: {uids: {should_not: contain_duplicates}}
    """

    name = "passwd"
    display_name = "/etc/passwd"

    def __init__(self, path: str = "/etc/passwd", entries: list[dict] | None = None):
        super().__init__()
        self.path = path
        self._given = entries

    @property
    def resource_id(self) -> str:
        return ""

    def __str__(self) -> str:
        return self.path

    @cached_property
    def entries(self) -> list[dict]:
        """One dict per line: user, password, uid, gid, desc, home, shell."""
        if self._given is not None:
            return self._given
        return parse_passwd(self.target.read_text(self.path))

    def where(self, **criteria) -> "Passwd":
        """The entries whose fields equal *criteria* (``where(shell="/bin/bash")``)."""
        chosen = [e for e in self.entries if all(e.get(k) == v for k, v in criteria.items())]
        return Passwd(self.path, chosen)

    def _column(self, key: str) -> list:
        return [e.get(key) for e in self.entries]

    users = property(lambda self: self._column("user"), doc="User names.")
    uids = property(lambda self: self._column("uid"), doc="User ids.")
    gids = property(lambda self: self._column("gid"), doc="Primary group ids.")
    homes = property(lambda self: self._column("home"), doc="Home directories.")
    shells = property(lambda self: self._column("shell"), doc="Login shells.")
    passwords = property(lambda self: self._column("password"), doc="Password fields (x when shadowed).")
