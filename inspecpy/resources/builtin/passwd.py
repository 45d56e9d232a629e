"""The ``passwd`` resource: every entry of ``/etc/passwd``, as a filter table."""

from __future__ import annotations

from inspecpy.resources.filtering import Column, FileTable
from inspecpy.resources.parsers import parse_passwd


class Passwd(FileTable):
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

    default_path = "/etc/passwd"
    parse = staticmethod(parse_passwd)  # One row per line: user, password, uid, gid, desc, home, shell.

    def label(self) -> str:
        return self.path

    users = Column("user", "User names.")
    usernames = Column("user", "User names (InSpec's alias of users).")
    uids = Column("uid", "User ids.")
    gids = Column("gid", "Primary group ids.")
    descs = Column("desc", "The comment (GECOS) fields.")
    homes = Column("home", "Home directories.")
    shells = Column("shell", "Login shells.")
    passwords = Column("password", "Password fields (x when shadowed).")
