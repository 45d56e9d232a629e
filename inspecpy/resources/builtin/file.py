"""The ``file`` resource: a path's existence, type, mode, ownership and content."""

from __future__ import annotations

import shlex
from functools import cached_property

from inspecpy.digests import stream_sha256
from inspecpy.compare import cmp
from inspecpy.errors import TargetError
from inspecpy.verdict import Verdict
from inspecpy.resources.base import PathResource

#: Larger files are not read whole for ``content`` (use ``sha256sum`` or ``size``).
CONTENT_LIMIT = 64 * 1024 * 1024

_BITS = {"owner": 0o700, "user": 0o700, "group": 0o070, "other": 0o007, "others": 0o007, "all": 0o777}
_PERMS = {"read": 0o444, "write": 0o222, "execute": 0o111}


class File(PathResource):
    """A file (or any path) on the target.

    Python::

        describe(file("/etc/shadow")).should.exist()
        describe(file("/etc/shadow")).its("mode").should.cmp("0640")
        describe(file("/etc/shadow")).should_not.be_readable_by("other")

    YAML::

        - file: /etc/shadow
          should: [exist, be_file]
          should_not: [{be_readable_by: other}]
          its: {mode: {cmp: "0640"}}
    """

    name = "file"

    def __init__(self, path: str):
        super().__init__(path)

    @property
    def type(self) -> str | None:
        """``file``, ``directory``, ``symlink``, ``pipe``, ``socket``, … or None."""
        return self._stat.type

    @property
    def is_file(self) -> bool:
        return self._followed_type == "file"

    @property
    def is_directory(self) -> bool:
        return self._followed_type == "directory"

    @property
    def is_symlink(self) -> bool:
        return self._stat.type == "symlink"

    @property
    def _followed_type(self) -> str | None:
        stat = self._stat
        return stat.target_type if stat.type == "symlink" else stat.type

    @property
    def mode(self) -> int | None:
        """Permission bits as an int (``cmp("0644")`` compares it as octal)."""
        return self._stat.mode

    @property
    def uid(self) -> int | None:
        return self._stat.uid

    @property
    def gid(self) -> int | None:
        return self._stat.gid

    @property
    def owner(self) -> str | None:
        """The owning user's name (or the uid as text when it has none)."""
        return self._name(self.target.user_name, self._stat.uid)

    @property
    def group(self) -> str | None:
        """The owning group's name (or the gid as text)."""
        return self._name(self.target.group_name, self._stat.gid)

    @staticmethod
    def _name(lookup, ident: int | None) -> str | None:
        if ident is None:
            return None
        return lookup(ident) or str(ident)

    @property
    def size(self) -> int | None:
        """Size in bytes, from ``stat`` (the file is not read)."""
        return self._stat.size

    @property
    def mtime(self) -> float | None:
        return self._stat.mtime

    @property
    def link_path(self) -> str | None:
        """Where a symlink points (resolved), else None."""
        return self._stat.link_path

    @property
    def basename(self) -> str:
        return self.path.rstrip("/").rsplit("/", 1)[-1]

    @property
    def setuid(self) -> bool:
        return bool((self.mode or 0) & 0o4000)

    @property
    def setgid(self) -> bool:
        return bool((self.mode or 0) & 0o2000)

    @property
    def sticky(self) -> bool:
        return bool((self.mode or 0) & 0o1000)

    @cached_property
    def content(self) -> str | None:
        """The text (UTF-8, bad bytes replaced); None when the file does not exist."""
        if not self.exists:
            return None
        if self.is_directory:
            raise TargetError(f"is a directory: {self.path}")
        if (self.size or 0) > CONTENT_LIMIT:
            raise TargetError(
                f"{self.path} is {self.size} bytes, over the {CONTENT_LIMIT} bytes read for content; "
                "use size or sha256sum"
            )
        return self.target.read_text(self.path)

    @cached_property
    def sha256sum(self) -> str | None:
        """SHA-256 of the bytes, streamed (works for files of any size)."""
        if not self.exists:
            return None
        with self.target.open(self.path) as stream:
            return stream_sha256(stream)

    def _allowed(self, perms: int, by: str | None) -> bool:
        if not self.exists or self.mode is None:
            return False
        if by is None:
            return bool(self.mode & perms)
        if by not in _BITS:
            raise ValueError(f"by must be one of {', '.join(_BITS)}, got {by!r}")
        return bool(self.mode & perms & _BITS[by])

    def readable_by(self, by: str | None = None) -> bool:
        """``be_readable_by("other")``: the read bit for owner, group, other or any."""
        return self._allowed(_PERMS["read"], by)

    def writable_by(self, by: str | None = None) -> bool:
        """``be_writable_by("group")``: the write bit for owner, group, other or any."""
        return self._allowed(_PERMS["write"], by)

    def executable_by(self, by: str | None = None) -> bool:
        """``be_executable_by("owner")``: the execute bit for owner, group, other or any."""
        return self._allowed(_PERMS["execute"], by)

    def readable_by_user(self, user: str) -> bool:
        """``be_readable_by_user("www-data")``: *user* can read it (asked as that user, as InSpec does)."""
        return self._user_can("-r", user)

    def writable_by_user(self, user: str) -> bool:
        """``be_writable_by_user("nobody")``: *user* can write it."""
        return self._user_can("-w", user)

    def executable_by_user(self, user: str) -> bool:
        """``be_executable_by_user("nobody")``: *user* can execute it."""
        return self._user_can("-x", user)

    def _user_can(self, test: str, user: str) -> bool:
        if not self.exists:
            return False
        check = f"test {test} {shlex.quote(self.path)}"
        return self.target.run("su -s /bin/sh -c {} {}", check, user).exit_status == 0

    def owned_by(self, user: str) -> bool:
        """``be_owned_by("root")``."""
        return cmp(self.owner, "==", user)

    def grouped_into(self, group: str) -> bool:
        """``be_grouped_into("shadow")``."""
        return cmp(self.group, "==", group)

    def more_permissive_than(self, max_mode: str) -> Verdict:
        """``be_more_permissive_than("0644")``: any bit set that *max_mode* does not allow (the reason shows the mode)."""
        if self.mode is None:
            return Verdict(False, "the file does not exist")
        extra = self.mode & 0o777 & ~int(str(max_mode), 8)
        return Verdict(bool(extra), f"mode is {self.mode:04o}" + (f" ({extra:04o} beyond {max_mode})" if extra else ""))
