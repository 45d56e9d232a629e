"""File probes through the engine's archive API, for containers without a shell (distroless images).

``HEAD /containers/ID/archive?path=P`` answers whether *P* exists, its type,
permission bits, size and, for a symlink, the path it resolves to (one quick
request, ~2.5 ms here); ``GET`` on the same URL streams *P* as a tar, whose
first header also carries the owner. The engine runs the tar in a helper
process that enters the container's root (~100-200 ms per request with
Debian's dockerd 20.10), so this is the fallback: a container with a shell is
probed through its shell (``ShellFiles``). It reads as the engine does,
as root, whatever ``--user`` says::

    files = ArchiveFiles(api, container_id)
    files.stat("/app/model.bin").uid         # 65532
    files.open("/app/model.bin").read(4)     # b'\\x00\\x01\\x02\\x03'
    files.listdir("/app")                    # ['config.json', 'model.bin']

File content is spooled (in memory up to 8 MiB, then a temporary file), so
the stream a resource gets is seekable, as zip and npz readers need.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import posixpath
import stat as stat_mod
import tarfile
import tempfile
from typing import BinaryIO, Iterator
from urllib.parse import quote

from inspecpy.errors import TargetError
from inspecpy.targets.base import FileStat

SPOOL_IN_MEMORY = 8 << 20
CHUNK = 1 << 16
# Go's os.FileMode type bits, as the engine's X-Docker-Container-Path-Stat header carries them.
_GO_TYPES = ((1 << 31, "directory"), (1 << 27, "symlink"), (1 << 25, "pipe"), (1 << 24, "socket"),
             (1 << 21, "character_device"), (1 << 26, "block_device"))
_GO_SETUID, _GO_SETGID, _GO_STICKY = 1 << 23, 1 << 22, 1 << 20


def go_file_type(mode: int) -> str:
    """The file type a Go ``os.FileMode`` names (``file`` when no type bit is set).

    >>> go_file_type(2147484141)     # ModeDir | 0755
    'directory'
    """
    return next((name for bit, name in _GO_TYPES if mode & bit), "file")


def go_permissions(mode: int) -> int:
    """The ``st_mode`` permission bits (with setuid/setgid/sticky) of a Go ``os.FileMode``.

    >>> oct(go_permissions((1 << 23) | 0o755))
    '0o4755'
    """
    bits = mode & 0o777
    for go_bit, bit in ((_GO_SETUID, stat_mod.S_ISUID), (_GO_SETGID, stat_mod.S_ISGID), (_GO_STICKY, stat_mod.S_ISVTX)):
        if mode & go_bit:
            bits |= bit
    return bits


def parse_path_stat(header: str) -> dict:
    """The JSON document of an ``X-Docker-Container-Path-Stat`` header (base64).

    >>> parse_path_stat("eyJuYW1lIjoic2gifQ==")
    {'name': 'sh'}
    """
    return json.loads(base64.b64decode(header))


class _Chunks(io.RawIOBase):
    """A read-only stream over an iterator of byte chunks (a streamed HTTP body)."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks, self._left = chunks, memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._left:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._left = memoryview(chunk)
        count = min(len(buffer), len(self._left))
        buffer[:count] = self._left[:count]
        self._left = self._left[count:]
        return count


class ArchiveFiles:
    """``stat``/``open``/``listdir`` of a container's files through the archive API (see the module)."""

    def __init__(self, api, container: str):
        self.api, self.container = api, container
        self.url = f"{api.base_url}/v{api.api_version}/containers/{quote(container, safe='')}/archive"

    # ------------------------------------------------------------ requests
    def _path_stat(self, path: str) -> dict | None:
        """The engine's path stat of *path* (symlinks not followed), None when it does not exist."""
        response = self.api.head(self.url, params={"path": path})
        if response.status_code == 404:
            return None
        self._check(response, path)
        header = response.headers.get("X-Docker-Container-Path-Stat")
        if not header:
            raise TargetError(f"the engine sent no stat for {path}")
        return parse_path_stat(header)

    def _follow(self, path: str, found: dict | None, linkname: str | None = None) -> tuple[str, dict | None]:
        """*path* and its engine stat *found*, past a symlink: the path the engine resolved it to (its
        ``linkTarget``, else *linkname*) and that path's stat (None: nothing there, or nowhere to go)."""
        if found is None or go_file_type(int(found["mode"])) != "symlink":
            return path, found
        target = found.get("linkTarget") or linkname
        return (target, self._path_stat(target)) if target else (path, None)

    @contextlib.contextmanager
    def _tar(self, path: str) -> Iterator[tarfile.TarFile]:
        """*path* as a tar stream read on demand (the connection closes when the block ends)."""
        response = self.api.get(self.url, params={"path": path}, stream=True,
                                headers={"Accept-Encoding": "identity"})
        try:
            if response.status_code == 404:
                raise FileNotFoundError(path)
            self._check(response, path)
            raw = io.BufferedReader(_Chunks(response.iter_content(CHUNK)), CHUNK)
            with tarfile.open(fileobj=raw, mode="r|", encoding="utf-8", errors="surrogateescape") as tar:
                yield tar
        finally:
            response.close()

    def _check(self, response, path: str) -> None:
        if response.status_code >= 400:
            try:
                message = response.json().get("message", "")
            except ValueError:
                message = response.text.strip() or response.reason
            raise TargetError(f"the engine could not read {path}: {message or response.status_code}")

    # ------------------------------------------------------------ primitives
    def stat(self, path: str) -> FileStat:
        found = self._path_stat(path)
        if found is None:
            return FileStat(path=path, exists=False)
        kind = go_file_type(int(found["mode"]))
        with self._tar(path) as tar:  # the first header: the path itself, with its owner
            member = tar.next()
        if member is None:
            raise TargetError(f"the engine sent an empty archive for {path}")
        link_path = target_type = None
        if kind == "symlink":
            link_path, resolved = self._follow(path, found, posixpath.normpath(
                posixpath.join(posixpath.dirname(path), member.linkname)))
            target_type = go_file_type(int(resolved["mode"])) if resolved else None
        return FileStat(path=path, exists=True, type=kind, mode=go_permissions(int(found["mode"])),
                        uid=member.uid, gid=member.gid, size=member.size if kind == "file" else int(found["size"]),
                        mtime=float(member.mtime), link_path=link_path, target_type=target_type)

    def open(self, path: str) -> BinaryIO:
        path, found = self._follow(path, self._path_stat(path))
        if found is None:
            raise FileNotFoundError(path)
        if go_file_type(int(found["mode"])) == "directory":
            raise IsADirectoryError(path)
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
        try:
            with self._tar(path) as tar:
                member = tar.next()
                content = tar.extractfile(member) if member is not None else None
                if content is None:
                    raise TargetError(f"the engine sent no content for {path}")
                while block := content.read(CHUNK):
                    spool.write(block)
        except BaseException:
            spool.close()
            raise
        spool.seek(0)
        return spool  # type: ignore[return-value]

    def listdir(self, path: str) -> list[str]:
        path, found = self._follow(path, self._path_stat(path))
        if found is None:
            raise FileNotFoundError(f"No such file or directory: {path}")
        if go_file_type(int(found["mode"])) != "directory":
            raise NotADirectoryError(f"Not a directory: {path}")
        names: set[str] = set()
        with self._tar(path) as tar:  # the whole tree comes: the folder itself first, keep the level below it
            top = None
            for member in tar:
                name = member.name.strip("/")
                if top is None:
                    top = name + "/" if name else ""
                elif name.startswith(top):
                    names.add(name[len(top):].split("/", 1)[0])
        return sorted(names)
