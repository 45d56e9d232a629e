"""The target base class: what every transport (local, ssh, ...) offers.

The public methods here do quoting, per-run caching of identical probes,
timeouts and logging once; a concrete target only implements the protected
primitives ``_run``, ``_stat``, ``_open`` and ``_listdir``.

Example::

    target = LocalTarget("local://")
    target.run("stat -c %a {}", "/etc/passwd").stdout   # '644\\n'
    target.stat("/etc/passwd").mode                      # 0o644
"""

from __future__ import annotations

import logging
import shlex
import stat as stat_mod
import threading
import time
from dataclasses import dataclass, field
from typing import BinaryIO, ClassVar

from inspecpy.errors import CommandTimeout, TargetError
from inspecpy.results import Platform
from inspecpy.targets.platform_detect import detect_platform

log = logging.getLogger("inspecpy.target")


@dataclass(frozen=True)
class CommandResult:
    """What a command printed and how it exited."""

    stdout: str
    stderr: str
    exit_status: int

    @classmethod
    def from_bytes(cls, stdout: bytes, stderr: bytes, exit_status: int) -> CommandResult:
        """The result of a command whose output came as bytes (undecodable UTF-8 replaced)."""
        return cls(stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"), exit_status)


@dataclass(frozen=True)
class FileStat:
    """One ``lstat`` of a path (plus the type the link points to).

    ``type`` is one of ``file``, ``directory``, ``symlink``, ``pipe``,
    ``socket``, ``character_device``, ``block_device`` or ``None`` when the
    path does not exist. ``mode`` holds the permission bits only (e.g. 0o644).
    """

    path: str
    exists: bool
    type: str | None = None
    mode: int | None = None
    uid: int | None = None
    gid: int | None = None
    size: int | None = None
    mtime: float | None = None
    link_path: str | None = None
    target_type: str | None = None
    error: str | None = None


def file_type(st_mode: int) -> str:
    """Map an ``st_mode`` to InSpec's file type names."""
    for test, name in (
        (stat_mod.S_ISLNK, "symlink"),
        (stat_mod.S_ISREG, "file"),
        (stat_mod.S_ISDIR, "directory"),
        (stat_mod.S_ISFIFO, "pipe"),
        (stat_mod.S_ISSOCK, "socket"),
        (stat_mod.S_ISCHR, "character_device"),
        (stat_mod.S_ISBLK, "block_device"),
    ):
        if test(st_mode):
            return name
    return "unknown"


@dataclass
class TargetOptions:
    """Connection options shared by all targets (set from the command line)."""

    command_timeout: float | None = None
    key_files: list[str] = field(default_factory=list)
    password: str | None = None
    sudo: bool = False
    sudo_password: str | None = None
    sudo_options: str = ""
    insecure: bool = False
    known_hosts: str | None = None
    connect_timeout: float = 10.0
    user: str | None = None          # ssh: login user when the URI has none; docker: the user commands run as
    docker_host: str | None = None   # docker://: the engine (else DOCKER_HOST, else the local socket)
    extra: dict = field(default_factory=dict)

    def __repr__(self) -> str:  # never show secrets, even in a debug log
        return (
            f"TargetOptions(command_timeout={self.command_timeout!r}, "
            f"key_files={self.key_files!r}, sudo={self.sudo!r}, insecure={self.insecure!r})"
        )


def quote_command(template: str, *args: object) -> str:
    """Fill ``{}`` slots of *template* with shell-quoted *args*.

    >>> quote_command("stat -c %a {}", "/tmp/a b")
    "stat -c %a '/tmp/a b'"
    """
    return template.format(*(shlex.quote(str(a)) for a in args))


_MISSING = object()


@dataclass(frozen=True)
class _Failure:
    error: TargetError


class Target:
    """A machine that inspecpy can probe. Subclasses implement the primitives.

    ``scheme`` is the URI scheme the target answers to (``local``, ``ssh``).
    """

    scheme: ClassVar[str] = ""
    description: ClassVar[str] = ""

    def __init__(self, uri: str, options: TargetOptions | None = None):
        self.uri = uri
        self.options = options or TargetOptions()
        self._cache: dict[tuple, object] = {}
        self._lock = threading.Lock()

    # ----------------------------------------------------------- public API
    @property
    def name(self) -> str:
        """The URI with any password removed: safe to show in reports."""
        return self.uri

    def run(self, template: str, *args: object, timeout: float | None = None) -> CommandResult:
        """Run a command built from *template* and quoted *args*; cached per run.

        >>> target.run("echo {}", "a; rm -rf /").stdout
        'a; rm -rf /\\n'
        """
        command = quote_command(template, *args) if args else template
        timeout = timeout if timeout is not None else self.options.command_timeout
        return self._cached(("run", command), lambda: self._timed_run(command, timeout))

    def stat(self, path: str) -> FileStat:
        """``lstat`` *path* (cached). Never raises for a missing file."""
        return self._cached(("stat", path), lambda: self._stat(path))

    def read(self, path: str) -> bytes:
        """The whole content of *path* (cached). Use :meth:`open` for big files."""

        def read_all() -> bytes:
            with self.open(path) as stream:
                return stream.read()

        return self._cached(("read", path), read_all)

    def read_text(self, path: str) -> str:
        """:meth:`read` decoded as UTF-8 (undecodable bytes replaced)."""
        return self.read(path).decode("utf-8", errors="replace")

    def open(self, path: str) -> BinaryIO:
        """A binary stream of *path* (not cached; for large files and hashing)."""
        log.debug("%s open %s", self.name, path)
        try:
            return self._open(path)
        except FileNotFoundError:
            raise TargetError(f"no such file: {path}") from None
        except PermissionError:
            raise TargetError(f"permission denied: {path}") from None
        except IsADirectoryError:
            raise TargetError(f"is a directory: {path}") from None

    def listdir(self, path: str) -> list[str]:
        """Names in directory *path*, sorted (cached)."""
        return self._cached(("listdir", path), lambda: sorted(self._listdir(path)))

    @property
    def platform(self) -> Platform:
        """The target's OS, from ``/etc/os-release`` and ``uname`` (detected once, no lock held)."""
        return self._cached(("platform",), lambda: detect_platform(self))

    def uname(self) -> str:
        """``uname -s -r -m`` of the target (cached): kernel name, release and machine."""
        return self._cached(("uname",), self._uname)

    def user_name(self, uid: int | None) -> str | None:
        """The user name for *uid*, from the target's ``/etc/passwd``."""
        return None if uid is None else self._id_names("/etc/passwd").get(uid)

    def group_name(self, gid: int | None) -> str | None:
        """The group name for *gid*, from the target's ``/etc/group``."""
        return None if gid is None else self._id_names("/etc/group").get(gid)

    def close(self) -> None:
        """Release connections (nothing to do for local)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------ internals
    def _id_names(self, path: str) -> dict[int, str]:
        def parse() -> dict[int, str]:
            names: dict[int, str] = {}
            try:
                text = self.read_text(path)
            except TargetError:
                return names
            for line in text.splitlines():
                parts = line.split(":")
                if len(parts) >= 3 and parts[2].isdigit():
                    names.setdefault(int(parts[2]), parts[0])
            return names

        return self._cached(("ids", path), parse)

    def _cached(self, key: tuple, compute):
        """Compute once per key; a TargetError is remembered and raised again."""
        with self._lock:
            hit = self._cache.get(key, _MISSING)
        if hit is _MISSING:
            try:
                hit = compute()
            except TargetError as error:
                hit = _Failure(error)
            with self._lock:
                hit = self._cache.setdefault(key, hit)
        if isinstance(hit, _Failure):
            raise hit.error
        return hit

    def _timed_run(self, command: str, timeout: float | None) -> CommandResult:
        started = time.monotonic()
        try:
            result = self._run(command, timeout)
        except CommandTimeout:
            log.debug("%s run %r timed out after %ss", self.name, command, timeout)
            raise
        log.debug(
            "%s run %r -> %s in %.3fs", self.name, command, result.exit_status,
            time.monotonic() - started,
        )
        return result

    def _uname(self) -> str:
        """Ask ``uname``; a target that knows its kernel without a shell answers itself (docker)."""
        result = self.run("uname -s -r -m")
        if result.exit_status != 0:
            raise TargetError(f"cannot detect the platform of {self.name}: {result.stderr.strip()}")
        return result.stdout

    # ----------------------------------------------------------- primitives
    def _run(self, command: str, timeout: float | None) -> CommandResult:
        """Run *command* (already quoted) in a POSIX shell; raise CommandTimeout."""
        raise NotImplementedError

    def _stat(self, path: str) -> FileStat:
        """``lstat`` *path*; a missing path gives ``FileStat(path, exists=False)``."""
        raise NotImplementedError

    def _open(self, path: str) -> BinaryIO:
        """Open *path* for binary reading; raise FileNotFoundError/PermissionError."""
        raise NotImplementedError

    def _listdir(self, path: str) -> list[str]:
        """Names in directory *path*."""
        raise NotImplementedError

