"""Commands in a container through the engine's exec API: one attached ``/bin/sh``, framed.

``docker exec`` (``POST /containers/ID/exec``, then ``/exec/ID/start`` with the
connection hijacked) gives one socket that carries the process's stdin one way
and its stdout and stderr multiplexed the other (8-byte frame headers: stream,
three zero bytes, big-endian length). :class:`ExecPipes` is that socket as the
:class:`~inspecpy.targets.framed_shell.Pipes` of a framed shell, so a container
runs every command of a run in one ``/bin/sh``, as the local and SSH targets do,
and a check costs no API round trip::

    shell = start_shell(api, container_id, user=None)      # a FramedShell
    shell.run("cat /etc/debian_version", None).stdout       # '12.7\\n'

A container with no ``/bin/sh`` (a distroless image) makes :func:`start_shell`
raise :class:`NoShell` with the engine's reason. When the framed shell cannot
be set up although a shell exists, :class:`ExecPerCommand` runs each command
as its own exec (three API calls per command; the Engine API cannot kill an
exec, so a timed-out command is abandoned, not killed).
"""

from __future__ import annotations

import secrets
import select
import socket
import struct
import time

from inspecpy.errors import CommandTimeout, TargetError
from inspecpy.targets.base import CommandResult
from inspecpy.targets.framed_shell import FramedShell, SessionLost, echo_token

READY_TIMEOUT = 30.0
_STREAMS = {1: "stdout", 2: "stderr"}
_HEADER = struct.Struct(">BxxxI")


class NoShell(TargetError):
    """The container cannot start ``/bin/sh``: commands cannot run there (files still can)."""


class ExecPipes:
    """The hijacked socket of one exec, demultiplexed into stdout and stderr.

    ::

        pipes = ExecPipes(api.exec_start(exec_id, socket=True))
        pipes.send(b"echo hi\\n")
        buffers = {"stdout": bytearray(), "stderr": bytearray()}
        pipes.receive(buffers, deadline=None, what="reading")   # buffers["stdout"] == b"hi\\n"
    """

    def __init__(self, stream):
        self.socket = getattr(stream, "_sock", stream)  # docker-py hands a SocketIO for unix sockets
        self._stream = stream
        self._pending = bytearray()
        self._eof = False

    def send(self, data: bytes) -> None:
        try:
            self.socket.sendall(data)
        except OSError as error:
            raise SessionLost(f"the exec session closed ({error.strerror or error})") from None

    def receive(self, buffers: dict[str, bytearray], deadline: float | None, what: str) -> None:
        """Append at least one frame's payload to *buffers*; CommandTimeout after *deadline*, SessionLost at EOF."""
        while not self._drain(buffers):
            if self._eof:
                raise SessionLost(f"the container's shell exited while {what}")
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise CommandTimeout(f"timed out {what}")
            pending = getattr(self.socket, "pending", None)  # TLS: bytes decrypted but not yet read
            if not (pending and pending()):
                ready, _, _ = select.select([self.socket], [], [], remaining)
                if not ready:
                    raise CommandTimeout(f"timed out {what}")
            try:
                data = self.socket.recv(1 << 16)
            except (OSError, ValueError):
                data = b""
            if data:
                self._pending += data
            else:
                self._eof = True

    def _drain(self, buffers: dict[str, bytearray]) -> bool:
        """Move every complete frame into *buffers*; True when any payload moved."""
        moved = False
        pending = self._pending
        while len(pending) >= _HEADER.size:
            kind, size = _HEADER.unpack_from(pending)
            if len(pending) < _HEADER.size + size:
                break
            if kind in _STREAMS and size:
                buffers[_STREAMS[kind]] += pending[_HEADER.size:_HEADER.size + size]
                moved = True
            del pending[:_HEADER.size + size]
        return moved

    def read_all(self, deadline: float | None, what: str) -> tuple[bytes, bytes]:
        """Everything until the exec ends: (stdout, stderr)."""
        buffers = {"stdout": bytearray(), "stderr": bytearray()}
        try:
            while True:
                self.receive(buffers, deadline, what)
        except SessionLost:
            return bytes(buffers["stdout"]), bytes(buffers["stderr"])

    @property
    def alive(self) -> bool:
        return not self._eof and self.socket.fileno() != -1

    def close(self) -> None:
        for closable in (self._stream, self.socket):
            try:
                closable.close()
            except OSError:
                pass


def open_exec(api, container: str, argv: list[str], user: str | None) -> tuple[str, ExecPipes]:
    """Create and start an exec of *argv* with stdin attached: (exec id, its pipes)."""
    created = api.exec_create(container, argv, stdin=True, stdout=True, stderr=True, tty=False, user=user or "")
    return created["Id"], ExecPipes(api.exec_start(created["Id"], socket=True))


def start_shell(api, container: str, user: str | None) -> FramedShell:
    """``/bin/sh`` in *container* as a framed shell, once it answered; NoShell when it cannot start."""
    exec_id, pipes = open_exec(api, container, ["/bin/sh"], user)
    buffers = {"stdout": bytearray(), "stderr": bytearray()}
    try:
        echo_token(pipes, f"{secrets.token_hex(12)}:READY", time.monotonic() + READY_TIMEOUT,
                   "starting /bin/sh in the container", buffers)
    except (SessionLost, CommandTimeout):
        pipes.close()
        raise _why_not(api, exec_id, buffers) from None
    return FramedShell(pipes)


def _why_not(api, exec_id: str, buffers: dict[str, bytearray]) -> TargetError:
    """The error for a shell that did not start: NoShell when the engine could not exec it."""
    said = b" ".join(bytes(b).strip() for b in buffers.values()).decode("utf-8", "replace").strip()
    try:
        code = api.exec_inspect(exec_id).get("ExitCode")
    except Exception:  # noqa: BLE001 - the engine or the container went away too
        code = None
    if code in (126, 127):  # the runtime could not exec /bin/sh: missing, or not executable
        detail = said.splitlines()[-1] if said else f"exit status {code}"
        return NoShell(f"no shell in the container (/bin/sh cannot run: {detail})")
    return TargetError(f"/bin/sh in the container did not start ({said or f'exit status {code}'})")


class ExecPerCommand:
    """One exec per command (``/bin/sh -c COMMAND``): the slow fallback, same interface as a FramedShell."""

    def __init__(self, api, container: str, user: str | None):
        self.api, self.container, self.user = api, container, user

    def run(self, command: str, timeout: float | None) -> CommandResult:
        return CommandResult.from_bytes(*self.run_bytes(command, timeout))

    def run_bytes(self, command: str, timeout: float | None) -> tuple[bytes, bytes, int]:
        exec_id, pipes = open_exec(self.api, self.container, ["/bin/sh", "-c", command], self.user)
        try:
            socket_shutdown(pipes)  # no stdin: the command reads EOF, as in the framed shell
            deadline = None if timeout is None else time.monotonic() + timeout
            try:
                out, err = pipes.read_all(deadline, "running a command")
            except CommandTimeout:
                raise CommandTimeout(f"command timed out after {timeout:g}s (left running: the Engine API "
                                     f"cannot stop an exec): {command}") from None
        finally:
            pipes.close()
        return out, err, exit_code(self.api, exec_id)

    @property
    def alive(self) -> bool:
        return True

    def close(self) -> None:
        pass


def exit_code(api, exec_id: str, wait: float = 5.0) -> int:
    """The exit code of a finished exec (the engine may record it a moment after the stream ends)."""
    deadline = time.monotonic() + wait
    while True:
        state = api.exec_inspect(exec_id)
        if not state.get("Running") and state.get("ExitCode") is not None:
            return int(state["ExitCode"])
        if time.monotonic() > deadline:
            raise TargetError("the engine did not report the command's exit code")
        time.sleep(0.01)


def socket_shutdown(pipes: ExecPipes) -> None:
    """Close the write half of the exec's socket (stdin EOF)."""
    try:
        pipes.socket.shutdown(socket.SHUT_WR)
    except OSError:
        pass
