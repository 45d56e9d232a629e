"""The ``users`` resource: every account, as a filter table (InSpec's ``users``)."""

from __future__ import annotations

from inspecpy.resources.accounts import group_entries, passwd_entries, shadow_entries
from inspecpy.resources.filtering import Column, FilterTable


class Users(FilterTable):
    """All accounts with their groups and, when ``/etc/shadow`` is readable, password ageing.

    Python::

        describe(users().where(lambda u: u.uid == 0)).its("usernames").should.eq(["root"])
        describe(users().where(uid=lambda uid: uid >= 1000)).its("shells").should_not.include("/bin/sh")

    YAML::

        - users: null
          its: {uids: {should_not: contain_duplicates}}

    Row fields: ``username``, ``uid``, ``gid``, ``groupname``, ``groups``,
    ``home``, ``shell``, ``mindays``, ``maxdays``, ``warndays`` (None when
    the shadow file is not readable), ``password_locked``.
    """

    name = "users"
    display_name = "Users"

    def load_rows(self) -> list[dict]:
        groups = group_entries(self.target)
        by_gid = {g["gid"]: g["name"] for g in groups}
        shadow = {s["user"]: s for s in shadow_entries(self.target) or []}
        rows = []
        for entry in passwd_entries(self.target):
            user = entry["user"]
            primary = by_gid.get(entry["gid"])
            member_of = [g["name"] for g in groups if user in g["members"] and g["name"] != primary]
            ageing = shadow.get(user, {})
            password = ageing.get("password")
            rows.append({
                "username": user, "uid": entry["uid"], "gid": entry["gid"], "groupname": primary,
                "groups": ([primary] if primary else []) + member_of, "home": entry["home"],
                "shell": entry["shell"], "mindays": ageing.get("min_days"), "maxdays": ageing.get("max_days"),
                "warndays": ageing.get("warn_days"),
                "password_locked": None if password is None else password.startswith(("!", "*")),
            })
        return rows

    usernames = Column("username", "Account names.")
    uids = Column("uid", "User ids.")
    gids = Column("gid", "Primary group ids.")
    groupnames = Column("groupname", "Primary group names.")
    groups = Column("groups", "Every group of the selected accounts (flattened, no repeats).", simple=True)
    homes = Column("home", "Home directories.")
    shells = Column("shell", "Login shells.")
    mindays = Column("mindays", "Minimum days between password changes.")
    maxdays = Column("maxdays", "Maximum days a password stays valid.")
    warndays = Column("warndays", "Days of warning before a password expires.")
