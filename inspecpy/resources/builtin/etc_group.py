"""The ``etc_group`` resource: every entry of ``/etc/group``, as a filter table."""

from __future__ import annotations

from inspecpy.resources.filtering import Column, FileTable
from inspecpy.resources.parsers import parse_group


class EtcGroup(FileTable):
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

    default_path = "/etc/group"
    parse = staticmethod(parse_group)  # One row per line: name, password, gid, members (a list).

    def label(self) -> str:
        return self.path

    groups = Column("name", "Group names.")
    gids = Column("gid", "Group ids.")
    passwords = Column("password", "Password fields (x when in gshadow).")
    users = Column("members", "Every member of the selected groups, in order, without repeats.", simple=True)
