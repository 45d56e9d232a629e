"""The ``group`` resource: one group on the target."""

from __future__ import annotations

from functools import cached_property

from inspecpy.resources.base import Resource
from inspecpy.resources.parsers import parse_group


class Group(Resource):
    """A group, from ``getent group`` (else ``/etc/group``).

    Python::

        describe(group("sudo")).should.exist()
        describe(group("shadow")).its("members").should.be_empty()

    YAML::

        - group: root
          its: {gid: {eq: 0}}
    """

    name = "group"

    def __init__(self, groupname: str):
        super().__init__()
        self.groupname = groupname

    @property
    def resource_id(self) -> str:
        return self.groupname

    @cached_property
    def _entry(self) -> dict | None:
        result = self.target.run("getent group {}", self.groupname)
        text = result.stdout if result.exit_status == 0 else self.target.read_text("/etc/group")
        return next((e for e in parse_group(text) if e["name"] == self.groupname), None)

    @property
    def exists(self) -> bool:
        return self._entry is not None

    @property
    def gid(self) -> int | None:
        return self._entry["gid"] if self._entry else None

    @property
    def members(self) -> list[str]:
        return list(self._entry["members"]) if self._entry else []
