"""Container images built here, with no registry: tar files for ``docker import``.

- :func:`busybox_tar`: Debian's static busybox with every applet linked in
  ``/bin`` (so ``/bin/sh`` and ``echo``), an ``/etc/passwd``/``group``, an
  ``os-release`` (ID ``busybox``) and the files of :data:`BUSYBOX_FILES`;
- :func:`noshell_tar`: a "distroless" image with no shell and no busybox
  applet links: only :data:`NOSHELL_FILES`, among them a binary file and a
  file whose name holds spaces, a newline and non-ASCII letters, and one
  static program, :data:`NOSHELL_PROGRAM` ``/sleep``: the static busybox
  under that name, which (busybox picks the applet by argv[0]) runs nothing
  but ``sleep``, so the container can run while no shell exists in it;
- :func:`debian_tar`: ``debootstrap --variant=minbase bookworm`` from
  Debian's mirror, cached as a tar under :data:`CACHE_DIR` (built once per
  machine, a lock keeps two runs from building it together).

Each image's facts are module constants, so a test asserts them without
reading this code twice: ``BUSYBOX_FILES["/etc/inspecpy-image"]``.
"""

from __future__ import annotations

import fcntl
import io
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

from tests.servers.process import unmount_under

BUSYBOX = "/bin/busybox"
CACHE_DIR = Path(os.environ.get("INSPECPY_TEST_CACHE", "/var/cache/inspecpy-tests"))
DEBIAN_SUITE = "bookworm"

BUSYBOX_FILES: dict[str, bytes] = {
    "/etc/inspecpy-image": b"busybox test image\n",
    "/etc/os-release": b'NAME="BusyBox"\nID=busybox\nVERSION_ID="1.35.0"\nPRETTY_NAME="BusyBox (inspecpy test)"\n',
    "/etc/passwd": b"root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n"
                   b"nobody:x:65534:65534:nobody:/:/bin/false\n",
    "/etc/group": b"root:x:0:\napp:x:1000:\nnogroup:x:65534:\n",
    "/etc/login.defs": b"PASS_MAX_DAYS\t30\nPASS_MIN_DAYS\t1\nPASS_WARN_AGE\t7\nUMASK\t077\n",
    "/srv/data/hello.txt": b"hello from the busybox image\n",
}
BUSYBOX_MODES = {"/etc/login.defs": 0o600}     # anything else: 0644 files, 0755 folders
BUSYBOX_COMMAND = ["/bin/sh"]

ODD_NAME = "/data/odd name\nwith newline ü €.txt"
NOSHELL_FILES: dict[str, bytes] = {
    "/etc/os-release": b'PRETTY_NAME="Distroless"\nNAME="Debian GNU/Linux"\nID=debian\nVERSION_ID="12"\n',
    "/etc/passwd": b"root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n",
    "/etc/group": b"root:x:0:\nnonroot:x:65532:\n",
    "/app/model.bin": bytes(range(256)) * 16 + b"\x00\xff\x00 end",   # binary: NULs, every byte value
    "/app/config.json": b'{"model": "/app/model.bin", "threshold": 0.5}\n',
    ODD_NAME: b"a file with an odd name\n",
}
NOSHELL_MODES = {"/app/model.bin": 0o640}
NOSHELL_OWNERS = {"/app/model.bin": (65532, 65532)}
# The one program: the static busybox stored as /sleep, which (by its argv[0]) runs only the sleep applet.
NOSHELL_PROGRAM = "/sleep"
NOSHELL_COMMAND = [NOSHELL_PROGRAM, "86400"]


def _add_dir(tar: tarfile.TarFile, path: str, mode: int = 0o755) -> None:
    info = tarfile.TarInfo(path.lstrip("/") or ".")
    info.type, info.mode, info.mtime = tarfile.DIRTYPE, mode, 1700000000
    tar.addfile(info)


def _add_file(tar: tarfile.TarFile, path: str, data: bytes, mode: int = 0o644, owner: tuple[int, int] = (0, 0)) -> None:
    info = tarfile.TarInfo(path.lstrip("/"))
    info.size, info.mode, info.mtime = len(data), mode, 1700000000
    info.uid, info.gid = owner
    tar.addfile(info, io.BytesIO(data))


def _add_parents(tar: tarfile.TarFile, paths, seen: set[str]) -> None:
    for path in paths:
        parts = path.strip("/").split("/")[:-1]
        for i in range(1, len(parts) + 1):
            folder = "/" + "/".join(parts[:i])
            if folder not in seen:
                seen.add(folder)
                _add_dir(tar, folder, 0o1777 if folder == "/tmp" else 0o755)


def _static_busybox() -> bytes:
    if not os.path.exists(BUSYBOX):
        raise RuntimeError(f"{BUSYBOX} is missing: run scripts/install-test-deps.sh (Debian busybox-static)")
    if subprocess.run(["ldd", BUSYBOX], capture_output=True).returncode == 0:
        raise RuntimeError(f"{BUSYBOX} is dynamically linked: install Debian's busybox-static")
    return Path(BUSYBOX).read_bytes()


def busybox_tar(path: Path) -> Path:
    """The busybox image's root file system as a tar at *path*."""
    binary = _static_busybox()
    applets = subprocess.run([BUSYBOX, "--list"], capture_output=True, text=True, check=True).stdout.split()
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        seen: set[str] = set()
        _add_parents(tar, ["/bin/x", "/tmp/x", "/root/x", "/home/app/x", *BUSYBOX_FILES], seen)
        _add_file(tar, "/bin/busybox", binary, 0o755)
        for applet in applets:
            if applet != "busybox":
                link = tarfile.TarInfo(f"bin/{applet}")
                link.type, link.linkname, link.mtime = tarfile.SYMTYPE, "busybox", 1700000000
                tar.addfile(link)
        for name, data in BUSYBOX_FILES.items():
            _add_file(tar, name, data, BUSYBOX_MODES.get(name, 0o644))
    return path


def noshell_tar(path: Path) -> Path:
    """The no-shell image's root file system as a tar at *path*."""
    binary = _static_busybox()
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        seen: set[str] = set()
        _add_parents(tar, ["/tmp/x", "/home/nonroot/x", *NOSHELL_FILES], seen)
        _add_file(tar, NOSHELL_PROGRAM, binary, 0o755)
        for name, data in NOSHELL_FILES.items():
            _add_file(tar, name, data, NOSHELL_MODES.get(name, 0o644), NOSHELL_OWNERS.get(name, (0, 0)))
    return path


def _debian_mirror() -> str:
    """The Debian mirror apt uses here (deb822 or one-line sources), else deb.debian.org."""
    for source in [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]:
        try:
            text = source.read_text()
        except OSError:
            continue
        if source.suffix == ".sources" or source.name.endswith(".sources"):
            for block in text.split("\n\n"):
                if re.search(rf"^Suites:.*\b{DEBIAN_SUITE}\b", block, re.M):
                    match = re.search(r"^URIs:\s*(\S+)", block, re.M)
                    if match and "security" not in match.group(1):
                        return match.group(1)
        elif source.suffix == ".list":
            match = re.search(rf"^deb\s+(?:\[[^]]*\]\s+)?(\S+)\s+{DEBIAN_SUITE}\s", text, re.M)
            if match:
                return match.group(1)
    return "http://deb.debian.org/debian"


def debian_tar(cache_dir: Path = CACHE_DIR, log=None) -> Path:
    """A ``debootstrap --variant=minbase bookworm`` root file system as a tar, built once per machine.

    The tar lies at ``cache_dir/debian-bookworm-minbase.tar``; later runs take it
    as it is. A lock file keeps two concurrent runs from building it together."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    result = cache_dir / f"debian-{DEBIAN_SUITE}-minbase.tar"
    with open(cache_dir / f"debian-{DEBIAN_SUITE}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if result.exists():
            return result
        debootstrap = shutil.which("debootstrap") or "/usr/sbin/debootstrap"
        if not os.path.exists(debootstrap):
            raise RuntimeError("debootstrap is missing: run scripts/install-test-deps.sh")
        with tempfile.TemporaryDirectory(dir=cache_dir, prefix="build-") as build:
            target = Path(build) / "root"
            started = time.monotonic()
            try:
                proc = subprocess.run([debootstrap, "--variant=minbase", DEBIAN_SUITE, str(target),
                                       _debian_mirror()], capture_output=True, text=True)
                if proc.returncode != 0:
                    raise RuntimeError(f"debootstrap failed ({proc.returncode}): "
                                       f"{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
            finally:
                unmount_under(target)   # debootstrap can leave the target's /proc mounted
            for deb in (target / "var" / "cache" / "apt" / "archives").glob("*.deb"):
                deb.unlink()
            partial = Path(build) / "root.tar"
            subprocess.run(["tar", "-C", str(target), "--numeric-owner", "--one-file-system", "-cf", str(partial),
                            "."], check=True)
            os.replace(partial, result)
            if log:
                log(f"debootstrap {DEBIAN_SUITE} minbase: {time.monotonic() - started:.0f} s, cached in {result}")
    return result
