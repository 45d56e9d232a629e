"""File probes through a shell: SSH hosts whose SFTP subsystem is disabled, and containers.

Hardened servers often drop ``Subsystem sftp``; the SSH target then sends
``stat``, ``open`` and ``listdir`` as small POSIX shell scripts through the
long-lived remote shell it already has, and the container target does so
through the shell it keeps in the container. The shell is 8-bit clean, so
file content comes back as raw bytes (no base64), read with ``dd`` in the same
growing windows as SFTP (a :class:`WindowedReader`: seekable, bounded memory).
Every path reaches the shell through :func:`quote_command`::

    files = ShellFiles(lambda command: shell.run_bytes(command, None), "the container's shell could not")
    files.stat("/etc/passwd").mode        # 0o644
    files.open("/bin/sh").read(4)         # b'\\x7fELF'
    files.listdir("/etc/ssh")             # ['moduli', 'ssh_config', ...]

``stat`` asks GNU/BusyBox ``stat -c``, then BSD ``stat -f``, then ``ls -ldn``
(no mtime from ``ls``); the type a symlink points to comes from ``test``, its
resolved path from ``readlink -f`` (or ``readlink`` joined to the folder).
The parsers are pure functions of the scripts' output.
"""

from __future__ import annotations

import io
import posixpath
import stat as stat_mod
from typing import BinaryIO, Callable, NoReturn

from inspecpy.errors import TargetError
from inspecpy.targets.base import FileStat, file_type, quote_command

RunBytes = Callable[[str], "tuple[bytes, bytes, int]"]

# Prints "missing" and why (ls's error message ends with strerror: "Permission denied", ...).
_MISSING = 'echo missing; ls -d -- "$p" 2>&1 >/dev/null'
STAT_SCRIPT = (
    'p={}; if [ -e "$p" ] || [ -L "$p" ]; then '
    "if o=$(stat -c '%f %u %g %s %Y' -- \"$p\" 2>/dev/null); then echo \"hex $o\"; "
    "elif o=$(stat -f '%Xp %u %g %z %m' -- \"$p\" 2>/dev/null); then echo \"hex $o\"; "
    'else set -f; set -- $(ls -ldn -- "$p"); echo "ls $1 $3 $4 $5"; fi; '
    'if [ -L "$p" ]; then '
    'if [ -d "$p" ]; then t=directory; elif [ -f "$p" ]; then t=file; elif [ -p "$p" ]; then t=pipe; '
    'elif [ -S "$p" ]; then t=socket; elif [ -c "$p" ]; then t=character_device; '
    'elif [ -b "$p" ]; then t=block_device; elif [ -e "$p" ]; then t=unknown; else t=none; fi; '
    'echo "target $t"; '
    "if readlink -f -- \"$p\" >/dev/null 2>&1; then printf 'real '; readlink -f -- \"$p\"; "
    "else printf 'rel '; readlink -- \"$p\"; fi; fi; "
    f"else {_MISSING}; fi"
)
OPEN_SCRIPT = (
    'p={}; if [ -d "$p" ]; then echo directory; '
    f'elif [ ! -e "$p" ]; then {_MISSING}; '
    'elif [ ! -r "$p" ]; then echo denied; '
    'else echo size; stat -L -c %s -- "$p" 2>/dev/null || stat -L -f %z -- "$p" 2>/dev/null || wc -c <"$p"; fi'
)
LISTDIR_SCRIPT = (
    'p={}; if [ -d "$p" ]; then if [ -r "$p" ]; then echo names; '
    'for f in "$p"/.* "$p"/*; do if [ -e "$f" ] || [ -L "$f" ]; then '
    "case ${{f##*/}} in .|..) ;; *) printf '%s\\0' \"${{f##*/}}\";; esac; fi; done; "
    'else echo denied; fi; '
    'elif [ -e "$p" ] || [ -L "$p" ]; then echo notdir; '
    f"else {_MISSING}; fi"
)
READ_COMMAND = "dd if={} bs={} skip={} count={}"
BLOCK = 4096
_LS_TYPES = {"-": stat_mod.S_IFREG, "d": stat_mod.S_IFDIR, "l": stat_mod.S_IFLNK, "p": stat_mod.S_IFIFO,
             "s": stat_mod.S_IFSOCK, "c": stat_mod.S_IFCHR, "b": stat_mod.S_IFBLK}


def ls_mode(text: str) -> int:
    """The ``st_mode`` that an ``ls -l`` mode string stands for.

    >>> oct(ls_mode("-rwsr-x--T."))
    '0o105750'
    """
    if len(text) < 10 or text[0] not in _LS_TYPES:
        raise ValueError(f"not an ls mode string: {text!r}")
    mode = _LS_TYPES[text[0]]
    for index, (read, write, execute, special) in enumerate(((1, 2, 3, 0o4000), (4, 5, 6, 0o2000), (7, 8, 9, 0o1000))):
        shift = 6 - 3 * index
        mode |= (text[read] == "r") << (shift + 2) | (text[write] == "w") << (shift + 1)
        mode |= (text[execute] in "xst") << shift
        mode |= special if text[execute] in "sStT" else 0
    return mode


def missing_reason(message: str) -> str | None:
    """``Permission denied`` or ``Not a directory`` when ``ls``'s error ends with it, else None."""
    message = message.rstrip()
    return next((r for r in ("Permission denied", "Not a directory") if message.endswith(r)), None)


def parse_stat(path: str, out: bytes) -> FileStat:
    """A :class:`FileStat` from :data:`STAT_SCRIPT`'s output; ValueError when it makes no sense.

    >>> parse_stat("/etc/passwd", b"hex 81a4 0 0 1234 1700000000\\n").mode
    420
    """
    text = out.decode("utf-8", "surrogateescape")
    head, _, rest = text.partition("\n")
    kind, _, values = head.partition(" ")
    if kind == "missing":
        reason = missing_reason(rest)
        return FileStat(path=path, exists=False, error=f"{reason}: {path}" if reason else None)
    fields = values.split()
    size: int | None
    if kind == "hex" and len(fields) == 5:
        st_mode, (uid, gid, size), mtime = int(fields[0], 16), map(int, fields[1:4]), float(fields[4])
    elif kind == "ls" and len(fields) == 4:
        st_mode, uid, gid, mtime = ls_mode(fields[0]), int(fields[1]), int(fields[2]), None
        size = int(fields[3]) if fields[3].isdigit() else None  # devices show "major," here
    else:
        raise ValueError(f"unexpected output {head!r}")
    kind = file_type(st_mode)
    link_path = target_type = None
    if kind == "symlink":
        target_line, _, resolved = rest.partition("\n")
        target_type = target_line.removeprefix("target ")
        target_type = None if target_type == "none" else target_type
        how, _, link = resolved.removesuffix("\n").partition(" ")
        link_path = link if how == "real" else posixpath.normpath(posixpath.join(posixpath.dirname(path), link))
    return FileStat(path=path, exists=True, type=kind, mode=st_mode & 0o7777, uid=uid, gid=gid, size=size,
                    mtime=mtime, link_path=link_path, target_type=target_type)


class WindowedReader(io.RawIOBase, BinaryIO):
    """A seekable read-only stream that fetches a remote file in growing windows.

    64 KiB after a seek, doubling on sequential reads up to *WINDOW* (bounded memory for models
    of any size, few round trips for big ones). Past the size ``stat`` gave (``/proc`` files say
    0) it reads on until EOF. A subclass implements ``_read_at(offset, count, within_size)``::

        class Memory(WindowedReader):
            def _read_at(self, offset, count, within_size):
                return DATA[offset:offset + count]

        Memory(len(DATA), "mem").read()   # DATA

    It is a :class:`typing.BinaryIO` (as typeshed makes ``io.FileIO`` one) and reads as a buffered
    file does: ``read(n)`` returns *n* bytes unless the file ends first, never a short window.
    """

    WINDOW = 4 << 20
    FIRST = 64 << 10

    def __init__(self, size: int, path: str):
        self._size, self._path = size, path
        self._pos = 0                      # where the next fetch starts
        self._chunk = memoryview(b"")      # fetched, not yet read
        self._next = self.FIRST

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos - len(self._chunk)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.tell(), io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise ValueError(f"negative seek position {base + offset}")
        self._pos, self._chunk, self._next = base + offset, memoryview(b""), self.FIRST
        return self._pos

    @property
    def name(self) -> str:
        """Absent, as on any raw stream: a remote file has no local name for a library to reopen here."""
        raise AttributeError("name")

    @property
    def mode(self) -> str:
        raise AttributeError("mode")

    def read(self, size: int | None = -1) -> bytes:
        """*size* bytes (fewer only at the end of the file); all that is left when *size* is -1 or None."""
        if size is None or size < 0:
            return self.readall()
        parts, left = [], size
        while left:
            part = super().read(left)  # one readinto: at most what the current window holds
            if not part:
                break
            parts.append(part)
            left -= len(part)
        return b"".join(parts)

    def readinto(self, buffer) -> int:
        if not self._chunk:
            self._chunk = memoryview(self._fetch(len(buffer)))
            if not self._chunk:
                return 0
        count = min(len(buffer), len(self._chunk))
        buffer[:count] = self._chunk[:count]
        self._chunk = self._chunk[count:]
        return count

    def _read_at(self, offset: int, count: int, within_size: bool) -> bytes:
        """Up to *count* bytes at *offset* (b"" at EOF); *within_size*: the range is inside ``stat``'s size."""
        raise NotImplementedError

    def _fetch(self, wanted: int) -> bytes:
        size = min(self.WINDOW, max(wanted, self._next))
        self._next = min(self.WINDOW, size * 2)
        within = self._pos < self._size
        if within:
            size = min(size, self._size - self._pos)
        try:
            data = self._read_at(self._pos, size, within)
        except EOFError:
            data = b""
        except TargetError:
            raise
        except Exception as error:  # the connection dropped mid-file
            raise TargetError(f"reading {self._path} failed: {error or type(error).__name__}") from None
        if within and len(data) < size:
            self._size = self._pos + len(data)  # the file shrank
        self._pos += len(data)
        return data


class ShellFiles:
    """``stat``/``open``/``listdir`` through *run* (a command → (stdout, stderr, exit status)).

    *failing* starts every error, before what failed (``stat /etc: why``); it says who could not::

        ShellFiles(run, "neither SFTP (Channel closed.) nor the shell fallback could").stat("/etc")
        ShellFiles(run, "the container's shell could not").stat("/etc")
    """

    def __init__(self, run: RunBytes, failing: str):
        self._run, self.failing = run, failing

    def _script(self, what: str, path: str, script: str) -> tuple[str, bytes]:
        """Run *script* for *path*: (its first line, the rest of stdout)."""
        out, err, _ = self._run(quote_command(script, path))
        head, _, rest = out.partition(b"\n")
        if not head:
            self._fail(what, path, err.decode("utf-8", "replace").strip() or "no output")
        return head.decode("ascii", "replace"), rest

    def _fail(self, what: str, path: str, detail: str) -> NoReturn:
        raise TargetError(f"{self.failing} {what} {path}: {detail}")

    def stat(self, path: str) -> FileStat:
        out, err, _ = self._run(quote_command(STAT_SCRIPT, path))
        try:
            return parse_stat(path, out)
        except ValueError as error:
            self._fail("stat", path, f"{error} {err.decode('utf-8', 'replace').strip()}".strip())

    def open(self, path: str) -> BinaryIO:
        head, rest = self._script("read", path, OPEN_SCRIPT)
        if head == "directory":
            raise IsADirectoryError(path)
        if head == "denied" or (head == "missing" and missing_reason(rest.decode("utf-8", "replace"))
                                == "Permission denied"):
            raise PermissionError(path)
        if head == "missing":
            raise FileNotFoundError(path)
        size = rest.split()[0] if rest.split() else b""
        if head != "size" or not size.isdigit():
            self._fail("read", path, f"unexpected output {head!r}")
        return ShellReader(self._run, int(size), path)

    def listdir(self, path: str) -> list[str]:
        head, rest = self._script("list", path, LISTDIR_SCRIPT)
        if head == "names":
            return [name.decode("utf-8", "surrogateescape") for name in rest.split(b"\0")[:-1]]
        if head == "denied" or missing_reason(rest.decode("utf-8", "replace")) == "Permission denied":
            raise PermissionError(f"Permission denied: {path}")
        if head == "notdir":
            raise NotADirectoryError(f"Not a directory: {path}")
        if head == "missing":
            raise FileNotFoundError(f"No such file or directory: {path}")
        self._fail("list", path, f"unexpected output {head!r}")


class ShellReader(WindowedReader):
    """A :class:`WindowedReader` whose windows are ``dd`` runs in the remote shell (block-aligned;
    the bytes before the offset are dropped)::

        ShellReader(run, size, "/var/lib/model.bin").seek(-22, io.SEEK_END)
    """

    def __init__(self, run: RunBytes, size: int, path: str):
        super().__init__(size, path)
        self._run = run

    def _read_at(self, offset: int, count: int, within_size: bool) -> bytes:
        first, end = offset // BLOCK, -(-(offset + count) // BLOCK)
        out, err, status = self._run(quote_command(READ_COMMAND, self._path, BLOCK, first, end - first))
        if status != 0:
            why = err.decode("utf-8", "replace").strip().splitlines()
            raise TargetError(f"reading {self._path} through the shell failed: "
                              f"{why[0] if why else f'dd exit status {status}'}")
        skip = offset - first * BLOCK
        return out[skip: skip + count]
