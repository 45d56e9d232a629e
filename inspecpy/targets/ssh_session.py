"""The channels of one SSH connection: a persistent shell and an SFTP session.

**RemoteShell** starts ``/bin/sh`` once on one channel (so the login shell's
rc files are paid once per connection, not once per command) and runs each
command as ``sh -c COMMAND </dev/null`` in the background of that shell. A
small wrapper prints a per-session random token, the command's number and
its exit code after the output on stdout and on stderr, so both streams are
framed without a new channel per command::

    shell = RemoteShell.start(transport, sudo=None)
    shell.run("uname -r", timeout=None)   # CommandResult(stdout='6.1.0\\n', stderr='', exit_status=0)

The command runs in its own session (``setsid``), so a timeout kills its whole
process group through the same shell. With ``--sudo`` the shell itself runs
under sudo (one password prompt per connection, answered on stdin) and the
SFTP server too (``sudo …/sftp-server``), so file probes see what root sees.

**SftpReader** streams a remote file in windows of pipelined SFTP reads.
"""

from __future__ import annotations

import io
import logging
import re
import secrets
import select
import shlex
import threading
import time
from dataclasses import dataclass

from ..errors import CommandTimeout, TargetError
from .base import CommandResult, quote_command

log = logging.getLogger("inspecpy.target.ssh")

# $1: the command, $2: the end marker. Prints "<marker><rc>\n" on stdout, "<marker>\n" on stderr.
WRAPPER = '/bin/sh -c "$1" </dev/null; printf "%s%d\\n" "$2" $?; printf "%s\\n" "$2" >&2'
SFTP_SERVERS = ("/usr/lib/openssh/sftp-server", "/usr/libexec/openssh/sftp-server",
                "/usr/lib/ssh/sftp-server", "/usr/libexec/sftp-server", "/usr/lib/sftp-server")
READY_TIMEOUT = 30.0
KILL_GRACE = 10.0


class SessionLost(TargetError):
    """The shell or the connection under it went away."""


@dataclass(frozen=True)
class Sudo:
    """``--sudo``: extra sudo options and the password (None: sudo must not ask)."""

    options: str = ""
    password: str | None = None

    def prefix(self, prompt: str) -> str:
        """``sudo -n …`` or ``sudo -S -p PROMPT …`` (``-S``: the password comes on stdin)."""
        words = shlex.split(self.options)
        head = ["sudo", "-n"] if self.password is None else ["sudo", "-S", "-p", prompt]
        return " ".join(shlex.quote(w) for w in [*head, *words, "--"])


def _launch(transport, program: str, sudo: Sudo | None, ready_streams: tuple[str, ...]):
    """Exec *program* (a ``sh -c`` script printing the READY token first) on a new channel,
    under sudo when asked; discard what rc files print, answer sudo's prompt; return the channel."""
    token = secrets.token_hex(12)
    ready, prompt = f"{token}:READY", f"{token}:PROMPT"
    script = quote_command("/bin/sh -c {} - {}", program, ready)
    command = "exec " + (f"{sudo.prefix(prompt)} {script}" if sudo else script)
    channel = transport.open_session()
    channel.exec_command(command)
    buffers = {"stdout": bytearray(), "stderr": bytearray()}
    prompted = 0
    deadline = time.monotonic() + READY_TIMEOUT
    while True:
        try:
            _receive(channel, buffers, deadline, what="starting the remote shell")
        except SessionLost:
            if not transport.is_active():
                raise
            _fail_launch(channel, buffers, sudo)
        if prompt.encode() in buffers["stderr"]:
            prompted += 1
            if prompted > 1 or sudo is None or sudo.password is None:
                channel.close()
                raise TargetError("sudo rejected the --sudo-password")
            buffers["stderr"] = buffers["stderr"].replace(prompt.encode(), b"")
            channel.sendall((sudo.password + "\n").encode())
        if all(ready.encode() + b"\n" in buffers[s] for s in ready_streams):
            break
    leftover = {s: bytes(b).split(ready.encode() + b"\n", 1)[-1] for s, b in buffers.items()}
    return channel, leftover


def _fail_launch(channel, buffers: dict, sudo: Sudo | None):
    text = bytes(buffers["stderr"]).decode("utf-8", "replace").strip().splitlines()
    why = text[-1] if text else f"exit status {channel.recv_exit_status()}"
    channel.close()
    if sudo and "password is required" in why:
        raise TargetError("sudo asks for a password: give --sudo-password (or INSPECPY_SUDO_PASSWORD)")
    raise TargetError(f"{'sudo ' if sudo else ''}shell did not start: {why}")


def _receive(channel, buffers: dict, deadline: float | None, what: str) -> None:
    """Wait for data on either stream and append it; raise on timeout or a closed channel."""
    remaining = None if deadline is None else deadline - time.monotonic()
    if remaining is not None and remaining <= 0:
        raise CommandTimeout(f"timed out {what}")
    if not (channel.recv_ready() or channel.recv_stderr_ready()):
        select.select([channel], [], [], remaining)
    got = False
    if channel.recv_ready():
        data = channel.recv(1 << 16)
        buffers["stdout"] += data
        got = got or bool(data)
    if channel.recv_stderr_ready():
        data = channel.recv_stderr(1 << 16)
        buffers["stderr"] += data
        got = got or bool(data)
    if not got and (channel.closed or channel.eof_received or not channel.get_transport().is_active()):
        raise SessionLost(f"the connection closed while {what}")


class RemoteShell:
    """One long-lived ``/bin/sh`` on one channel; commands run one at a time, framed by markers."""

    def __init__(self, channel, leftover: dict):
        self.channel = channel
        self.token = secrets.token_hex(12)
        self.sequence = 0
        self.lock = threading.Lock()
        if any(leftover.values()):
            log.debug("remote shell start printed %d extra bytes (ignored)", sum(map(len, leftover.values())))

    @classmethod
    def start(cls, transport, sudo: Sudo | None) -> "RemoteShell":
        program = 'printf "%s\\n" "$1"; printf "%s\\n" "$1" >&2; exec /bin/sh'
        channel, leftover = _launch(transport, program, sudo, ("stdout", "stderr"))
        shell = cls(channel, leftover)
        shell.channel.sendall(b"command -v setsid >/dev/null 2>&1 && S=setsid || S=\n")
        return shell

    def run(self, command: str, timeout: float | None) -> CommandResult:
        """Run *command* (already quoted) with ``sh -c``; raise CommandTimeout after *timeout*."""
        if "\0" in command:
            raise ValueError("embedded null byte in command")
        with self.lock:
            self.sequence += 1
            marker = f"{self.token}:{self.sequence}:"
            line = quote_command('wait; $S /bin/sh -c {} - {} {} & P=$!\n', WRAPPER, command, marker)
            self.channel.sendall(line.encode())
            deadline = None if timeout is None else time.monotonic() + timeout
            try:
                out, err, status = self._collect(marker.encode(), deadline)
            except CommandTimeout:
                self._kill_running()
                raise CommandTimeout(f"command timed out after {timeout:g}s: {command}") from None
        return CommandResult(out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), status)

    def _collect(self, marker: bytes, deadline: float | None) -> tuple[bytes, bytes, int]:
        buffers = {"stdout": bytearray(), "stderr": bytearray()}
        end_out = re.compile(re.escape(marker) + rb"(\d+)\n\Z")
        end_err = marker + b"\n"
        while True:
            _receive(self.channel, buffers, deadline, what="running a command")
            out = buffers["stdout"]
            found = end_out.search(out, max(0, len(out) - len(marker) - 8))  # the marker ends stdout
            if found and buffers["stderr"].endswith(end_err):
                stderr = bytes(buffers["stderr"][: -len(end_err)])
                return bytes(out[: found.start()]), stderr, int(found.group(1))

    def _kill_running(self) -> None:
        """Kill the timed-out command's process group, then resynchronise the streams."""
        sync = f"{self.token}:SYNC"
        line = quote_command('kill -9 -- -"$P" 2>/dev/null || kill -9 "$P"; wait "$P"; '
                             'printf "%s\\n" {0}; printf "%s\\n" {0} >&2\n', sync)
        buffers = {"stdout": bytearray(), "stderr": bytearray()}
        try:
            self.channel.sendall(line.encode())
            deadline = time.monotonic() + KILL_GRACE
            while not all((sync + "\n").encode() in b for b in buffers.values()):
                _receive(self.channel, buffers, deadline, what="stopping a timed-out command")
        except TargetError:
            log.debug("remote shell did not resynchronise after a timeout; closing it")
            self.close()

    @property
    def alive(self) -> bool:
        return not (self.channel.closed or self.channel.eof_received)

    def close(self) -> None:
        try:
            self.channel.close()
        except Exception:  # already gone
            pass


def open_sftp(transport, sudo: Sudo | None):
    """An SFTP client: the server's sftp subsystem, or ``sudo sftp-server`` in sudo mode."""
    import paramiko

    if sudo is None:
        return transport.open_sftp_client()
    search = " ".join(shlex.quote(p) for p in SFTP_SERVERS)
    program = ('printf "%s\\n" "$1" >&2; for p in ' + search +
               '; do if [ -x "$p" ]; then exec "$p"; fi; done; echo "no sftp-server found" >&2; exit 127')
    channel, _ = _launch(transport, program, sudo, ("stderr",))
    return paramiko.SFTPClient(channel)


class SftpReader(io.RawIOBase):
    """A read-only stream over an open SFTP file: *window* bytes fetched at a time by pipelined
    requests (bounded memory for models of any size); past the size ``stat`` gave (``/proc``
    files say 0) it reads on until EOF."""

    WINDOW = 4 << 20

    def __init__(self, handle, size: int, path: str):
        self._handle, self._size, self._path = handle, size, path
        self._pos = 0
        self._chunk = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._chunk:
            self._chunk = memoryview(self._fetch())
            if not self._chunk:
                return 0
        count = min(len(buffer), len(self._chunk))
        buffer[:count] = self._chunk[:count]
        self._chunk = self._chunk[count:]
        return count

    def _fetch(self) -> bytes:
        try:
            if self._pos < self._size:
                size = min(self.WINDOW, self._size - self._pos)
                data = b"".join(self._handle.readv([(self._pos, size)]))
            else:
                self._handle.seek(self._pos)
                data = self._handle.read(self.WINDOW)
        except EOFError:
            data = b""
        except Exception as error:  # the connection dropped mid-file
            raise TargetError(f"reading {self._path} failed: {error or type(error).__name__}") from None
        if self._pos < self._size and len(data) < min(self.WINDOW, self._size - self._pos):
            self._size = self._pos + len(data)  # the file shrank
        self._pos += len(data)
        return data

    def close(self) -> None:
        if not self.closed:
            try:
                self._handle.close()
            except Exception:  # connection already gone
                pass
        super().close()
