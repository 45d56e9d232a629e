"""The ``etc_group`` resource: every entry of ``/etc/group``, as a filter table."""

from __future__ import annotations

from ..filtering import Column, FilterTable
from ..reading import read_required
from ..parsers import parse_group


class EtcGroup(FilterTable):
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

    def __init__(self, path: str = "/etc/group"):
        super().__init__()
        self.path = path

    @property
    def resource_id(self) -> str:
        return self.path

    def label(self) -> str:
        return self.path

    def load_rows(self) -> list[dict]:
        """One row per line: name, password, gid, members (a list)."""
        return parse_group(read_required(self.target, self.path))

    groups = Column("name", "Group names.")
    gids = Column("gid", "Group ids.")
    passwords = Column("password", "Password fields (x when in gshadow).")
    users = Column("members", "Every member of the selected groups, in order, without repeats.", simple=True)
