"""The channels of one SSH connection: a persistent shell and an SFTP session.

The shell is ``/bin/sh`` started once on one channel (so the login shell's
rc files are paid once per connection, not once per command) and driven as
a :class:`~inspecpy.targets.framed_shell.FramedShell`::

    shell = remote_shell(launch_shell(transport, sudo=None).finish())
    shell.run("uname -r", timeout=None)   # CommandResult(stdout='6.1.0\\n', stderr='', exit_status=0)

With ``--sudo`` the shell itself runs under sudo (one password prompt per
connection, answered on stdin), and so does the SFTP server
(``sudo …/sftp-server``): file probes see what root sees.

**SftpReader** streams a remote file in windows of sequential SFTP reads (a
:class:`~inspecpy.targets.shell_files.WindowedReader`; the shell fallback's ``ShellReader`` is another).
"""

from __future__ import annotations

import logging
import secrets
import select
import shlex
import time
from dataclasses import dataclass

from inspecpy.errors import CommandTimeout, TargetError
from inspecpy.targets.base import quote_command
from inspecpy.targets.framed_shell import FramedShell, SessionLost
from inspecpy.targets.shell_files import WindowedReader

log = logging.getLogger("inspecpy.target.ssh")

SFTP_SERVERS = ("/usr/lib/openssh/sftp-server", "/usr/libexec/openssh/sftp-server",
                "/usr/lib/ssh/sftp-server", "/usr/libexec/sftp-server", "/usr/lib/sftp-server")
READY_TIMEOUT = 30.0


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


class _Launch:
    """A program started on a new channel that has not yet said READY (see :func:`launch`)."""

    def __init__(self, transport, program: str, sudo: Sudo | None, ready_streams: tuple[str, ...]):
        token = secrets.token_hex(12)
        self.transport, self.sudo, self.streams = transport, sudo, ready_streams
        self.ready, self.prompt = f"{token}:READY".encode(), f"{token}:PROMPT".encode()
        script = quote_command("/bin/sh -c {} - {}", program, self.ready.decode())
        command = "exec " + (f"{sudo.prefix(self.prompt.decode())} {script}" if sudo else script)
        self.channel = transport.open_session()
        self.channel.exec_command(command)

    def finish(self):
        """Wait for READY (discarding what rc files print, answering sudo's prompt): the channel."""
        channel, sudo = self.channel, self.sudo
        buffers = {"stdout": bytearray(), "stderr": bytearray()}
        prompted = 0
        deadline = time.monotonic() + READY_TIMEOUT
        while not all(self.ready + b"\n" in buffers[s] for s in self.streams):
            try:
                _receive(channel, buffers, deadline, what="starting the remote shell")
            except SessionLost:
                if not self.transport.is_active():
                    raise
                _fail_launch(channel, buffers, sudo)
            if self.prompt in buffers["stderr"]:
                prompted += 1
                if prompted > 1 or sudo is None or sudo.password is None:
                    channel.close()
                    raise TargetError("sudo rejected the --sudo-password")
                buffers["stderr"] = buffers["stderr"].replace(self.prompt, b"")
                channel.sendall((sudo.password + "\n").encode())
        extra = sum(len(b.split(self.ready + b"\n", 1)[0]) for b in buffers.values())
        if extra:
            log.debug("the remote login printed %d bytes before the shell started (ignored)", extra)
        return channel


def launch(transport, program: str, sudo: Sudo | None, ready_streams: tuple[str, ...]) -> _Launch:
    """Exec ``/bin/sh -c PROGRAM - READY`` (under sudo when asked) on a new channel; *program*
    prints the READY token on *ready_streams* first. Call ``.finish()`` for the channel, after
    starting other channels: their login rc files then run at the same time."""
    return _Launch(transport, program, sudo, ready_streams)


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


class ChannelPipes:
    """An SSH channel as the :class:`~inspecpy.targets.framed_shell.Pipes` of a framed shell."""

    def __init__(self, channel):
        self.channel = channel

    def send(self, data: bytes) -> None:
        self.channel.sendall(data)

    def receive(self, buffers: dict[str, bytearray], deadline: float | None, what: str) -> None:
        _receive(self.channel, buffers, deadline, what)

    @property
    def alive(self) -> bool:
        return not (self.channel.closed or self.channel.eof_received)

    def close(self) -> None:
        try:
            self.channel.close()
        except Exception:  # noqa: BLE001 - already gone
            pass


def launch_shell(transport, sudo: Sudo | None) -> _Launch:
    """Start the remote ``/bin/sh``; ``remote_shell(launch_shell(...).finish())`` once it is ready."""
    program = 'printf "%s\\n" "$1"; printf "%s\\n" "$1" >&2; exec /bin/sh'
    return launch(transport, program, sudo, ("stdout", "stderr"))


def remote_shell(channel) -> FramedShell:
    """The framed shell on a ready channel (see :mod:`inspecpy.targets.framed_shell`)."""
    return FramedShell(ChannelPipes(channel))


def launch_sftp(transport, sudo: Sudo | None):
    """Start an SFTP server channel: the sftp subsystem, or ``sudo …/sftp-server`` in sudo mode.

    Returns a callable that completes the handshake and gives the ``SFTPClient``."""
    import paramiko

    if sudo is None:
        channel = transport.open_session()
        try:
            channel.invoke_subsystem("sftp")
        except BaseException:  # the server has no SFTP subsystem: do not leave the channel open
            channel.close()
            raise
        return lambda: paramiko.SFTPClient(channel)
    search = " ".join(shlex.quote(p) for p in SFTP_SERVERS)
    program = ('printf "%s\\n" "$1" >&2; for p in ' + search +
               '; do if [ -x "$p" ]; then exec "$p"; fi; done; echo "no sftp-server found" >&2; exit 127')
    pending = launch(transport, program, sudo, ("stderr",))
    return lambda: paramiko.SFTPClient(pending.finish())


class SftpReader(WindowedReader):
    """A :class:`WindowedReader` over an open SFTP file (each window read in 255 KiB requests)::

        with SftpReader(sftp.open(path, "rb"), size, path) as stream:
            header = stream.read(4); stream.seek(-22, io.SEEK_END)
    """

    #: bytes asked for in one SFTP read: OpenSSH's sftp-server answers up to 256 KiB - 1 KiB
    #: (paramiko's default is 32 KiB); a server that answers less is simply asked again.
    REQUEST = 255 << 10

    def __init__(self, handle, size: int, path: str):
        super().__init__(size, path)
        self._handle = handle
        handle.MAX_REQUEST_SIZE = self.REQUEST

    def _read_at(self, offset: int, count: int, within_size: bool) -> bytes:
        # Plain sequential reads: paramiko's readv()/prefetch threads can wait forever for a
        # response under load (seen reading an .npz's zip directory on a busy 2-core machine).
        self._handle.seek(offset)
        return self._handle.read(count)

    def close(self) -> None:
        if not self.closed:
            try:
                self._handle.close()
            except Exception:  # connection already gone
                pass
        super().close()
