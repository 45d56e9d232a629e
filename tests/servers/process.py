"""What every server module here needs: stop a process by its PID, wait for a URL, unmount a tree.

No function looks a process up by name: PIDs come from our own
:class:`subprocess.Popen` objects, pid files the servers wrote, or (for
shims and sessions) the children of those.
"""

from __future__ import annotations

import os
import signal
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path


def alive(pid: int) -> bool:
    """True while *pid* runs (a zombie, exited but not reaped, does not count)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def terminate(pid: int, timeout: float = 15) -> None:
    """SIGTERM *pid*; SIGKILL it when it is still there after *timeout* seconds."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not alive(pid):
                return
            time.sleep(0.05)


def stop_process(process: subprocess.Popen | None, timeout: float = 15) -> None:
    """Stop a child we started (SIGTERM, then SIGKILL) and reap it."""
    if process is None:
        return
    if process.poll() is None:
        terminate(process.pid, timeout)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def pids_with_argument(text: str) -> list[int]:
    """PIDs whose command line has *text* as one whole argument."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if text.encode() in argv:
                found.append(int(entry.name))
    return found


def wait_http(url: str, process: subprocess.Popen | None = None, timeout: float = 60, log: Path | None = None,
              expect=lambda status, body: status == 200, context: ssl.SSLContext | None = None,
              headers: dict[str, str] | None = None) -> bytes:
    """GET *url* until *expect(status, body)* holds; fail at once if *process* exits. Returns the body."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before {url} answered"
                               f"{_tail(log)}")
        try:
            request = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(request, timeout=5, context=context) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as err:
            status, body = err.code, err.read()
        except (OSError, ValueError) as err:
            last = str(err)
            time.sleep(0.1)
            continue
        if expect(status, body):
            return body
        last = f"HTTP {status}: {body[:200]!r}"
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer as expected within {timeout:.0f} s (last: {last}){_tail(log)}")


def _tail(log: Path | None, lines: int = 30) -> str:
    if log is None:
        return ""
    try:
        return "\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def unmount_under(*roots: Path) -> None:
    """Lazily unmount every mount point below *roots* (deepest first): what debootstrap or dockerd left."""
    prefixes = tuple(str(Path(r).resolve()) + "/" for r in roots)
    points = []
    with open("/proc/self/mounts") as f:
        for line in f:
            point = line.split()[1].replace("\\040", " ")
            if point.startswith(prefixes):
                points.append(point)
    for point in sorted(points, key=len, reverse=True):
        subprocess.run(["umount", "-l", point], capture_output=True)
