"""The ``etc_group`` resource: every entry of ``/etc/group``."""

from __future__ import annotations

from functools import cached_property

from ..base import Resource
from ..parsers import parse_group


class EtcGroup(Resource):
    """The target's ``/etc/group``.

    Python::

        describe(etc_group()).its("gids").should_not.contain_duplicates()
        describe(etc_group().where(name="sudo")).its("users").should.include("admin")

    YAML::

        - etc_group: null
          its: {groups: {include: root}}
    """

    name = "etc_group"
    display_name = "/etc/group"

    def __init__(self, path: str = "/etc/group", entries: list[dict] | None = None):
        super().__init__()
        self.path = path
        self._given = entries

    def __str__(self) -> str:
        return self.path

    @cached_property
    def entries(self) -> list[dict]:
        """One dict per line: name, password, gid, members (a list)."""
        if self._given is not None:
            return self._given
        return parse_group(self.target.read_text(self.path))

    def where(self, **criteria) -> "EtcGroup":
        """The entries whose fields equal *criteria* (``where(name="sudo")``)."""
        chosen = [e for e in self.entries if all(e.get(k) == v for k, v in criteria.items())]
        return EtcGroup(self.path, chosen)

    @property
    def groups(self) -> list[str]:
        return [e["name"] for e in self.entries]

    @property
    def gids(self) -> list[int]:
        return [e["gid"] for e in self.entries]

    @property
    def users(self) -> list[str]:
        """Every member of the selected groups, in order, without repeats."""
        seen: list[str] = []
        for entry in self.entries:
            seen.extend(m for m in entry["members"] if m not in seen)
        return seen
