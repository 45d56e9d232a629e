"""One long-lived ``/bin/sh`` that runs commands one at a time, framed by markers: the command
runner of the local and the SSH target.

Each command runs in a subshell, ``( eval COMMAND ) </dev/null``, in the
background of the persistent shell; after it, the subshell prints a
per-shell random token, the command's number and its exit code on stdout and
on stderr, so both streams are framed without a new process (or SSH channel)
per command. The shell stays free while a command runs, so a timeout kills
the command's process tree through that same shell::

    shell = FramedShell(ProcessPipes.start(["/bin/sh"]))
    shell.run("uname -r", timeout=None)   # CommandResult(stdout='6.1.0\\n', stderr='', exit_status=0)

Starting ``/bin/sh -c`` from Python costs a fork of the whole interpreter
per command (~3.4 ms here); a command through the framed shell costs the
shell's own two forks (~0.3 ms). The transport is anything with the
:class:`Pipes` methods: a local process (:class:`ProcessPipes`) or an SSH
channel (:mod:`inspecpy.targets.ssh.channels`).
"""

from __future__ import annotations

import logging
import os
import secrets
import select
import signal
import subprocess
import threading
import time
from typing import Protocol

from inspecpy.errors import CommandTimeout, TargetError
from inspecpy.targets.base import CommandResult, quote_command

log = logging.getLogger("inspecpy.target")

# One command, in the background of the persistent shell: a subshell runs `( eval COMMAND )` (two
# forks, no exec: half the CPU of `sh -c`), then prints "<marker><exit code>" on stdout and
# "<marker>" on stderr. As in `sh -c`, `exit`/`exec`/`cd` in COMMAND stay inside it; unlike it,
# `$$` is the persistent shell's PID.
RUN_LINE = ('wait; {{ ( eval {0} ) </dev/null; printf "%s%d\\n" {1} $?; printf "%s\\n" {1} >&2; }} & '
            '__inspecpy_pid=$!\n')
# The same in the foreground (one fork fewer, ~40% less CPU a command): for pipes that can kill the command
# themselves (a local shell: ProcessPipes.kill_command), since the shell is busy while the command runs.
RUN_LINE_FOREGROUND = '( eval {0} ) </dev/null; printf "%s%d\\n" {1} $?; printf "%s\\n" {1} >&2\n'
# The shell prints a token on stdout and on stderr: once both came back, nothing older is still on the way.
ECHO_LINE = 'printf "%s\\n" {0}; printf "%s\\n" {0} >&2\n'
# Stop the timed-out subshell, kill its process tree (children first), reap it, then print SYNC. The
# children come from pgrep, else ps, else /proc/*/stat (minimal images have neither: Debian's minbase,
# a busybox built without them); the state letter and the parent PID follow the last ") " there.
KILL_LINE = ('__inspecpy_children() {{ pgrep -P "$1" 2>/dev/null || ps -o pid= --ppid "$1" 2>/dev/null || '
             'for __inspecpy_s in /proc/[0-9]*/stat; do read -r __inspecpy_l <"$__inspecpy_s" 2>/dev/null || '
             'continue; case "${{__inspecpy_l##*) }}" in [A-Za-z]\\ "$1"\\ *) __inspecpy_s=${{__inspecpy_s#/proc/}}; '
             'echo "${{__inspecpy_s%/stat}}";; esac; done; }}; '
             '__inspecpy_kill() {{ kill -STOP "$1" 2>/dev/null; for __inspecpy_c in $(__inspecpy_children "$1"); '
             'do __inspecpy_kill "$__inspecpy_c"; done; '
             'kill -9 "$1" 2>/dev/null; }}; __inspecpy_kill "$__inspecpy_pid"; wait "$__inspecpy_pid"; ' + ECHO_LINE)
KILL_GRACE = 10.0


class SessionLost(TargetError):
    """The shell or the connection under it went away."""


class Pipes(Protocol):
    """The two ends of a shell: what is written to its stdin, what comes back on stdout and stderr."""

    def send(self, data: bytes) -> None:
        """Write *data* to the shell's stdin."""

    def receive(self, buffers: dict[str, bytearray], deadline: float | None, what: str) -> None:
        """Wait for output and append it to ``buffers["stdout"]``/``["stderr"]``; raise
        CommandTimeout after *deadline*, SessionLost when the shell is gone."""

    @property
    def alive(self) -> bool: ...

    def close(self) -> None: ...


class KillablePipes(Pipes, Protocol):
    """Pipes whose side can kill the running command's process tree itself (a local shell)."""

    def kill_command(self) -> None:
        """Kill every process the shell started (children first); the shell itself lives on."""


class FramedShell:
    """Runs commands one at a time in one persistent shell (see the module's docstring).

    With pipes that can kill the command themselves (:class:`KillablePipes`),
    commands run in the foreground of the shell (one fork fewer); otherwise
    in its background, so the shell itself can kill a timed-out one.
    """

    def __init__(self, pipes: Pipes):
        self.pipes = pipes
        self.foreground = hasattr(pipes, "kill_command")
        self.token = secrets.token_hex(12)
        self.sequence = 0
        self.lock = threading.Lock()

    def run(self, command: str, timeout: float | None) -> CommandResult:
        """Run *command* (already quoted) as ``sh -c`` would; raise CommandTimeout after *timeout*."""
        return CommandResult.from_bytes(*self.run_bytes(command, timeout))

    def run_bytes(self, command: str, timeout: float | None) -> tuple[bytes, bytes, int]:
        """:meth:`run`, but stdout and stderr as the raw bytes (the shell is 8-bit clean)::

            shell.run_bytes("head -c 4 /bin/sh", None)   # (b'\\x7fELF', b'', 0)
        """
        if "\0" in command:
            raise ValueError("embedded null byte in command")
        with self.lock:
            self.sequence += 1
            marker = f"{self.token}:{self.sequence}:"
            line = RUN_LINE_FOREGROUND if self.foreground else RUN_LINE
            self.pipes.send(quote_command(line, command, marker).encode())
            deadline = None if timeout is None else time.monotonic() + timeout
            try:
                return self._collect(marker.encode(), deadline)
            except CommandTimeout:
                self._kill_running(marker.encode())
                raise CommandTimeout(f"command timed out after {timeout:g}s: {command}") from None
            except KeyboardInterrupt:  # Ctrl-C (in the shell): stop the command's process tree too
                self._kill_running(marker.encode())
                raise

    def _collect(self, marker: bytes, deadline: float | None) -> tuple[bytes, bytes, int]:
        buffers = {"stdout": bytearray(), "stderr": bytearray()}
        end_err = marker + b"\n"
        while True:
            self.pipes.receive(buffers, deadline, what="running a command")
            out = buffers["stdout"]
            status = _exit_status(out, marker)  # "<marker><exit code>\n" ends stdout
            if status is not None and buffers["stderr"].endswith(end_err):
                stderr = bytes(buffers["stderr"][: -len(end_err)])
                return bytes(out[: status[0]]), stderr, status[1]

    def _kill_running(self, marker: bytes) -> None:
        """Kill the timed-out command's process tree, then resynchronise the streams."""
        try:
            if self.foreground:  # kill it from here; the shell then prints the marker of the killed command
                self.pipes.kill_command()  # type: ignore[attr-defined]
                self._collect(marker, time.monotonic() + KILL_GRACE)
                return
            echo_token(self.pipes, f"{self.token}:SYNC", time.monotonic() + KILL_GRACE,
                       "stopping a timed-out command", line=KILL_LINE)
        except TargetError:
            log.debug("the shell did not resynchronise after a timeout; closing it")
            self.close()

    @property
    def alive(self) -> bool:
        return self.pipes.alive

    def close(self) -> None:
        try:
            if self.alive:
                self.pipes.send(b"wait; exit\n")  # reap the last command, so no zombie is left
        except Exception:  # noqa: BLE001 - already gone
            pass
        self.pipes.close()


def echo_token(pipes: Pipes, token: str, deadline: float, what: str, buffers: dict[str, bytearray] | None = None,
               line: str = ECHO_LINE) -> None:
    """Send *line* (:data:`ECHO_LINE`, or shell code ending in it) with *token*, and receive until the shell
    printed the token on stdout and on stderr; what came is left in *buffers*. CommandTimeout after
    *deadline*, SessionLost when the shell is gone."""
    buffers = {"stdout": bytearray(), "stderr": bytearray()} if buffers is None else buffers
    pipes.send(quote_command(line, token).encode())
    echoed = token.encode() + b"\n"
    while not all(echoed in b for b in buffers.values()):
        pipes.receive(buffers, deadline, what)


def _exit_status(out: bytearray, marker: bytes) -> tuple[int, int] | None:
    """Where the marker line that ends *out* starts, and the exit code on it; None until it has come.

    >>> _exit_status(bytearray(b"hi\\nTOKEN:1:0\\n"), b"TOKEN:1:")
    (3, 0)
    """
    if not out.endswith(b"\n"):
        return None
    start = out.rfind(marker, max(0, len(out) - len(marker) - 8))
    digits = out[start + len(marker):-1] if start >= 0 else b""
    return (start, int(digits)) if digits.isdigit() else None


class ProcessPipes:
    """The pipes of a local shell process (``/bin/sh`` in its own session)."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.pid = os.getpid()  # the process that started it: a forked child must not share it
        self._streams = {process.stdout.fileno(): "stdout", process.stderr.fileno(): "stderr"}  # type: ignore[union-attr]

    @classmethod
    def start(cls, argv: list[str]) -> "ProcessPipes":
        return cls(subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    start_new_session=True, bufsize=0))

    def send(self, data: bytes) -> None:
        try:
            self.process.stdin.write(data)  # type: ignore[union-attr]
        except (BrokenPipeError, ValueError):
            raise SessionLost("the local shell exited") from None

    def receive(self, buffers: dict[str, bytearray], deadline: float | None, what: str) -> None:
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            raise CommandTimeout(f"timed out {what}")
        ready, _, _ = select.select(list(self._streams), [], [], remaining)
        if not ready:
            raise CommandTimeout(f"timed out {what}")
        for fd in ready:
            data = os.read(fd, 1 << 16)
            if not data:
                raise SessionLost(f"the local shell exited while {what}")
            buffers[self._streams[fd]] += data

    def kill_command(self) -> None:
        """SIGKILL every descendant of the shell, children first (read from /proc; never by name)."""
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", "rb") as handle:
                        parent = int(handle.read().rsplit(b")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
                children.setdefault(parent, []).append(int(entry))

        def kill_tree(pid: int) -> None:
            try:
                os.kill(pid, signal.SIGSTOP)  # no new children while its own are killed
            except ProcessLookupError:
                return
            for child in children.get(pid, []):
                kill_tree(child)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        for child in children.get(self.process.pid, []):
            kill_tree(child)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None and os.getpid() == self.pid

    def close(self) -> None:
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            try:
                stream.close()  # type: ignore[union-attr]
            except OSError:
                pass
        if os.getpid() == self.pid:
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
