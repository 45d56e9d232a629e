"""``system_files``: risky files in system directories, found with one ``find -xdev``."""

from __future__ import annotations

from inspecpy.resources.accounts import group_entries, passwd_entries
from inspecpy.resources.filtering import Column, FilterTable

#: World-writable, SUID, SGID, or not root's (ids are named later: ``-nouser`` would look up
#: every file's owner through NSS, which is ten times slower); files and directories only.
_FIND = (" -xdev \\( -perm -0002 -o -perm -4000 -o -perm -2000 -o ! -uid 0 -o ! -gid 0 \\)"
         " \\( -type f -o -type d \\) -exec stat -c '%a|%u|%g|%F|%n' {{}} + 2>/dev/null")


def parse_stat_lines(text: str, uids: set[int], gids: set[int]) -> list[dict]:
    """``mode|uid|gid|type|path`` lines; *uids*/*gids* are the known account and group ids."""
    rows = []
    for line in text.splitlines():
        parts = line.split("|", 4)
        if len(parts) != 5 or not parts[1].isdigit() or not parts[2].isdigit():
            continue
        mode, uid, gid = int(parts[0], 8), int(parts[1]), int(parts[2])
        rows.append({"path": parts[4], "mode": mode, "uid": uid, "gid": gid,
                     "type": "directory" if parts[3] == "directory" else "file",
                     "world_writable": bool(mode & 0o002), "suid": bool(mode & 0o4000),
                     "sgid": bool(mode & 0o2000), "sticky": bool(mode & 0o1000),
                     "unowned": uid not in uids or gid not in gids})
    return rows


class SystemFiles(FilterTable):
    """Files with risky permissions under *dirs* (never crossing into other filesystems).

    Python::

        describe(system_files(input("system_dirs")).where(type="file", world_writable=True)).its("paths").should.be_empty()

    YAML::

        - system_files: [[/etc, /usr/bin]]
          its: {paths: {should_not: {include: /etc/passwd}}}
    """

    name = "system_files"
    display_name = "Files"

    def __init__(self, dirs: list[str]):
        super().__init__()
        self.dirs = list(dirs)

    @property
    def resource_id(self) -> str:
        return "under " + " ".join(self.dirs)

    def load_rows(self) -> list[dict]:
        present = [d for d in self.dirs if self.target.stat(d).type == "directory"]
        if not present:
            return []
        result = self.target.run("find" + " {}" * len(present) + _FIND, *present)
        uids = {e["uid"] for e in passwd_entries(self.target)}
        gids = {e["gid"] for e in group_entries(self.target)}
        return parse_stat_lines(result.stdout, uids, gids)

    paths = Column("path", "The paths found.")
