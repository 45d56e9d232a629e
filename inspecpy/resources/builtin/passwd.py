"""The ``passwd`` resource: every entry of ``/etc/passwd``, as a filter table."""

from __future__ import annotations

from ..filtering import Column, FilterTable
from ..reading import read_required
from ..parsers import parse_passwd


class Passwd(FilterTable):
    """The target's ``/etc/passwd`` (or another file in its format).

    Python::

        describe(passwd()).its("uids").should_not.contain_duplicates()
        describe(passwd().where(uid=0)).its("users").should.eq(["root"])
        describe(passwd().where(lambda e: e.shell.endswith("sh"))).its("count").should.be_at_most(5)

    YAML::

        - passwd: null
          its: {uids: {should_not: contain_duplicates}}
    """

    name = "passwd"
    display_name = "/etc/passwd"

    def __init__(self, path: str = "/etc/passwd"):
        super().__init__()
        self.path = path

    @property
    def resource_id(self) -> str:
        return self.path

    def label(self) -> str:
        return self.path

    def load_rows(self) -> list[dict]:
        """One row per line: user, password, uid, gid, desc, home, shell."""
        return parse_passwd(read_required(self.target, self.path))

    users = Column("user", "User names.")
    usernames = Column("user", "User names (InSpec's alias of users).")
    uids = Column("uid", "User ids.")
    gids = Column("gid", "Primary group ids.")
    descs = Column("desc", "The comment (GECOS) fields.")
    homes = Column("home", "Home directories.")
    shells = Column("shell", "Login shells.")
    passwords = Column("password", "Password fields (x when shadowed).")
