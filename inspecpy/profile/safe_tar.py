"""Extracting a ``.tar.gz`` that nobody vouched for yet: refuse anything that could escape.

Every member is checked before a byte is written: absolute names, ``..``,
duplicate names, devices and FIFOs, links that resolve outside the folder,
and members (or a total) larger than the limits are refused with
:class:`~inspecpy.errors.ArchiveError`; a truncated or corrupt gzip stream is
one too. Files are written by this module (never ``tarfile.extractall``),
links last, so nothing is written through a link::

    names = safe_extract("profile.tar.gz", "/tmp/out")   # ['inspec.yml', 'controls/a.py', ...]
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tarfile
import zlib
from dataclasses import dataclass

from inspecpy.errors import ArchiveError


@dataclass(frozen=True)
class Limits:
    """The most an archive may hold (bytes per member, bytes in all, members)."""

    member_bytes: int = 1 << 30
    total_bytes: int = 4 << 30
    members: int = 100_000


def _clean_name(archive: str, name: str) -> str:
    """*name* as a safe relative POSIX path, or ArchiveError."""
    if not name or "\0" in name:
        raise ArchiveError(f"{archive}: refusing a member with an empty or invalid name")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or name.startswith("\\"):
        raise ArchiveError(f"{archive}: refusing member {name!r}: absolute path")
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ArchiveError(f"{archive}: refusing member {name!r}: '..' would escape the extraction folder")
    if not parts:
        return "."
    return "/".join(parts)


def _link_target(archive: str, member: tarfile.TarInfo, name: str) -> str:
    """Where a symlink member points, relative to the root; refuse a target outside."""
    link = member.linkname
    if not link or link.startswith("/"):
        raise ArchiveError(f"{archive}: refusing link {name!r} -> {link!r}: points outside the profile")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(name), link))
    if target == ".." or target.startswith("../"):
        raise ArchiveError(f"{archive}: refusing link {name!r} -> {link!r}: points outside the profile")
    return target


def _check_type(archive: str, member: tarfile.TarInfo, name: str) -> None:
    if member.isfile() or member.isdir() or member.issym() or member.islnk():
        return
    kind = "device" if member.ischr() or member.isblk() else "FIFO" if member.isfifo() else "special file"
    raise ArchiveError(f"{archive}: refusing member {name!r}: a {kind} has no place in a profile")


def _copy(archive: str, source, path: str, limit: int, name: str) -> int:
    written = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(fd, "wb") as out:
        for block in iter(lambda: source.read(1 << 20), b""):
            written += len(block)
            if written > limit:
                raise ArchiveError(f"{archive}: refusing member {name!r}: larger than {limit} bytes")
            out.write(block)
    return written


def safe_extract(archive: str, dest: str, limits: Limits = Limits()) -> list[str]:
    """Extract *archive* into the existing folder *dest*; return the regular files' names."""
    try:
        return _extract(archive, dest, limits)
    except ArchiveError:
        raise
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        if isinstance(error, OSError) and error.filename:
            raise ArchiveError(f"{archive}: cannot extract: {error.strerror}: {error.filename}") from None
        reason = str(error) or type(error).__name__
        raise ArchiveError(f"{archive}: not a valid .tar.gz (truncated or corrupt: {reason})") from None


def _extract(archive: str, dest: str, limits: Limits) -> list[str]:
    files: list[str] = []
    seen: set[str] = set()
    links: list[tuple[str, str, bool]] = []
    total = 0
    with tarfile.open(archive, mode="r:gz") as tar:
        for count, member in enumerate(tar, start=1):
            if count > limits.members:
                raise ArchiveError(f"{archive}: refusing archive: more than {limits.members} members")
            name = _clean_name(archive, member.name)
            _check_type(archive, member, name)
            if name in seen and not member.isdir():
                raise ArchiveError(f"{archive}: refusing member {name!r}: it appears twice")
            seen.add(name)
            path = os.path.join(dest, *name.split("/"))
            if member.isdir():
                os.makedirs(path, exist_ok=True)
            elif member.issym():
                links.append((name, _link_target(archive, member, name), True))
            elif member.islnk():
                links.append((name, _clean_name(archive, member.linkname), False))
            else:
                if member.size > limits.member_bytes:
                    raise ArchiveError(f"{archive}: refusing member {name!r}: {member.size} bytes "
                                       f"(the limit is {limits.member_bytes})")
                total += member.size
                if total > limits.total_bytes:
                    raise ArchiveError(f"{archive}: refusing archive: more than {limits.total_bytes} bytes in all")
                os.makedirs(os.path.dirname(path), exist_ok=True)
                if os.path.lexists(path):
                    raise ArchiveError(f"{archive}: refusing member {name!r}: it clashes with another member")
                stream = tar.extractfile(member)
                _copy(archive, stream, path, limits.member_bytes, name)
                if member.mode & 0o111:
                    os.chmod(path, 0o755)
                files.append(name)
    for name, target, symbolic in links:
        _make_link(archive, dest, name, target, symbolic, files)
    return files


def _make_link(archive: str, dest: str, name: str, target: str, symbolic: bool, files: list[str]) -> None:
    path = os.path.join(dest, *name.split("/"))
    source = os.path.join(dest, *target.split("/"))
    root = os.path.realpath(dest)
    resolved = os.path.realpath(source)
    if os.path.commonpath([root, resolved]) != root:
        raise ArchiveError(f"{archive}: refusing link {name!r}: points outside the profile")
    if os.path.lexists(path):
        raise ArchiveError(f"{archive}: refusing link {name!r}: it clashes with another member")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    parent = os.path.join(root, *name.split("/")[:-1])
    if os.path.realpath(os.path.dirname(path)) != parent:  # never create anything through a link
        raise ArchiveError(f"{archive}: refusing link {name!r}: its folder is itself a link")
    if symbolic:
        os.symlink(os.path.relpath(source, os.path.dirname(path)), path)
        if os.path.commonpath([root, os.path.realpath(path)]) != root:
            os.unlink(path)
            raise ArchiveError(f"{archive}: refusing link {name!r}: points outside the profile")
    elif target in files:
        shutil.copyfile(source, path)
        files.append(name)
    else:
        raise ArchiveError(f"{archive}: refusing hard link {name!r}: its target {target!r} is not in the archive")
