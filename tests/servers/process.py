"""What every server module here needs: a server process, stop it by its PID, wait for a URL, unmount a tree.

No function looks a process up by name: PIDs come from our own
:class:`subprocess.Popen` objects, pid files the servers wrote, or (for
shims and sessions) the children of those.
"""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import KW_ONLY, dataclass
from pathlib import Path
from typing import Callable, ClassVar, TypeVar

S = TypeVar("S", bound="ServerProcess")


@dataclass
class ServerProcess:
    """One server program the tests start: its folder, its process and log, stopped by its PID.

    A server module subclasses it with what is its own (ports, files, API
    helpers) and a ``start`` that builds the command line and hands it to
    :meth:`_launch` with a readiness check; :attr:`pid`, :attr:`log`,
    :meth:`stop` and ``with`` come from here::

        @dataclass
        class Echo(ServerProcess):
            port: int = 0
            log_name: ClassVar[str] = "echo.log"

            def start(self, timeout: float = 30) -> None:
                url = f"http://127.0.0.1:{self.port}/"
                self._launch([ECHO, f"--port={self.port}"], lambda: wait_http(url, self.process, timeout, self.log))
    """

    workdir: Path
    _: KW_ONLY
    process: subprocess.Popen | None = None

    log_name: ClassVar[str] = "server.log"      # below workdir: the program's stdout and stderr
    stop_timeout: ClassVar[float] = 15          # seconds between SIGTERM and SIGKILL

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def log(self) -> Path:
        return self.workdir / self.log_name

    def _launch(self, argv: list[str], ready: Callable[[], object], **popen) -> None:
        """Start *argv* (output appended to :attr:`log`), then call *ready*; stop the process if it raises."""
        self.process = spawn(argv, self.log, **popen)
        try:
            ready()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> int | None:
        """Stop the process by its PID (SIGTERM, SIGKILL after :attr:`stop_timeout` seconds) and reap it;
        its exit code (None when it never started or could not be reaped)."""
        stop_process(self.process, self.stop_timeout)
        return self.process.returncode if self.process is not None else None

    def __enter__(self: S) -> S:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def spawn(argv: list[str], log: Path, **popen) -> subprocess.Popen:
    """Start *argv* with stdin from /dev/null and stdout and stderr appended to *log*."""
    with open(log, "ab") as out:
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, **popen)


def require(program: str, package: str) -> None:
    """Fail (never skip) when *program* is missing: ``scripts/install-test-deps.sh`` installs Debian's *package*."""
    if not os.path.exists(program):
        raise RuntimeError(f"{program} is missing: run scripts/install-test-deps.sh (Debian {package})")


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


def wait_tcp(host: str, port: int, process: subprocess.Popen | None = None, timeout: float = 60,
             log: Path | None = None) -> None:
    """Connect to *host*:*port* until it accepts; fail at once if *process* exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before {host}:{port} listened"
                               f"{_tail(log)}")
        try:
            socket.create_connection((host, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{host}:{port} did not listen within {timeout:.0f} s{_tail(log)}")


def log_tail(log: Path, lines: int = 30) -> str:
    """The last *lines* lines of *log* ("" when it cannot be read)."""
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _tail(log: Path | None) -> str:
    return "\n" + log_tail(log) if log is not None else ""


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
