"""The SSH target: a remote host over ONE paramiko connection.

Commands run in one persistent remote shell (framed output, see
``ssh_session``); ``stat``, ``read``, ``listdir`` and streamed ``open`` use
one SFTP session on the same connection, or, when the server refuses SFTP,
small scripts in that same shell (``shell_files``). The connection opens on the first
probe; if it drops, the target reconnects once and retries the probe, and if
that fails every later probe fails at once with the reason::

    inspecpy exec profiles/example -t ssh://admin@db1:2222 -i ~/.ssh/id_ed25519
    inspecpy exec profiles/example -t ssh://db1 --sudo      # ~/.ssh/config alias

    target = SshTarget("ssh://admin@db1", TargetOptions(key_files=["~/.ssh/id_ed25519"]))
    target.run("id -u").stdout     # '1000\\n'
    target.stat("/etc/shadow").mode

Options: ``-i`` keys, ``--password`` / ``INSPECPY_PASSWORD`` (or
``ssh://user:password@host``), ssh-agent, ``~/.ssh/config`` (HostName, User,
Port, IdentityFile, ProxyJump, ProxyCommand, UserKnownHostsFile), ``--sudo`` with
``--sudo-password`` / ``--sudo-options``, ``--known-hosts``, ``--insecure``,
``--connect-timeout``, ``--command-timeout``.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from typing import BinaryIO, Callable, TypeVar
from urllib.parse import unquote, urlsplit

from inspecpy.errors import TargetError, UsageError
from inspecpy.targets import redact_uri
from inspecpy.targets.base import CommandResult, FileStat, Target, TargetOptions, file_type
from inspecpy.targets.ssh.connect import HostSpec, connect, resolve
from inspecpy.targets.framed_shell import FramedShell, SessionLost
from inspecpy.targets.shell_files import ShellFiles
from inspecpy.targets.ssh.channels import SftpReader, Sudo, launch_shell, launch_sftp, remote_shell

log = logging.getLogger("inspecpy.target.ssh")
T = TypeVar("T")


def parse_ssh_uri(uri: str) -> tuple[HostSpec, str | None, str]:
    """``ssh://user:pw@host:port`` → (HostSpec, password or None, the URI without the password).

    >>> parse_ssh_uri("ssh://admin:s3cret@db1:2222")[2]
    'ssh://admin@db1:2222'
    """
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError as error:
        raise UsageError(f"bad target URI (password hidden) {redact_uri(uri)!r}: {error}") from None
    if parts.scheme != "ssh" or not parts.hostname or parts.path not in ("", "/") or parts.query:
        raise UsageError(f"bad target URI {redact_uri(uri)!r}: expected ssh://[user@]host[:port]")
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    host = parts.hostname
    shown = f"[{host}]" if ":" in host else host
    name = "ssh://" + (f"{user}@" if user else "") + shown + (f":{port}" if port else "")
    return HostSpec(host=host, user=user, port=port), password, name


class _Ready:
    """A launch that has already finished."""

    def __init__(self, channel):
        self.channel = channel

    def finish(self):
        return self.channel


class _Session:
    """One connection and its two channels: the shell and SFTP, started side by side (so the
    login rc files of both run at the same time)."""

    def __init__(self, spec: HostSpec, options: TargetOptions, sudo: Sudo | None):
        self.connection = connect(spec, options)
        self.transport = self.connection.transport
        self.sudo = sudo
        self._lock = threading.Lock()
        self._shell: FramedShell | None = None
        self._sftp = None
        self._sftp_error: str | None = None
        self.files: SftpFiles | ShellFiles
        try:
            launched = launch_shell(self.transport, sudo)
            # two sudo prompts at once deadlock on sudo's lock: then the shell is ready before SFTP starts
            shell = _Ready(launched.finish()) if sudo and sudo.password is not None else launched
            sftp = self._sftp_step(lambda: launch_sftp(self.transport, sudo))
            self._shell = remote_shell(shell.finish())
            self._sftp = sftp and self._sftp_step(sftp)
        except BaseException:
            self.close()
            raise
        if self._sftp is not None:
            self.files = SftpFiles(self._sftp)
        else:
            log.debug("%s: %s; file probes go through the remote shell", spec.address, self._sftp_error)
            timeout = options.command_timeout
            why = self._sftp_error or "no SFTP session"  # _sftp_step sets the reason whenever it gives None
            self.files = ShellFiles(lambda command: self.shell.run_bytes(command, timeout),
                                    f"neither SFTP ({why}) nor the shell fallback could")

    def _sftp_step(self, step):
        """Run one step of opening SFTP; a server without SFTP fails file probes only."""
        try:
            return step()
        except SessionLost:
            raise
        except Exception as error:  # also a TargetError: `sudo sftp-server` not found
            if not self.transport.is_active():
                raise SessionLost(f"connection lost opening SFTP: {error}") from None
            self._sftp_error = f"cannot open an SFTP session: {error or type(error).__name__}"
            return None

    @property
    def shell(self) -> FramedShell:
        with self._lock:
            if self._shell is None or not self._shell.alive:
                self._shell = remote_shell(launch_shell(self.transport, self.sudo).finish())
            return self._shell

    @property
    def active(self) -> bool:
        return self.transport.is_active()

    def close(self) -> None:
        for closable in (self._sftp, self._shell):
            if closable is not None:
                try:
                    closable.close()
                except Exception:  # the connection may be gone already
                    pass
        self.connection.close()


class SshTarget(Target):
    """A host reached over SSH. See the module docstring for the options."""

    scheme = "ssh"
    description = "a remote host over SSH (ssh://user@host[:port]), one connection per target"

    def __init__(self, uri: str, options: TargetOptions | None = None):
        spec, password, self._name = parse_ssh_uri(uri)
        super().__init__(uri, options)
        if password is not None and self.options.password is None:
            self.options = replace(self.options, password=password)
        self._spec = spec
        self._session: _Session | None = None
        self._dead: str | None = None          # why the connection is gone for good
        self._reconnected = False
        self._connect_lock = threading.RLock()
        opts = self.options
        self._sudo = Sudo(opts.sudo_options, opts.sudo_password) if opts.sudo else None

    @property
    def name(self) -> str:
        return self._name

    # ------------------------------------------------------------ connection
    def _live_session(self) -> _Session:
        with self._connect_lock:
            if self._dead:
                raise TargetError(self._dead)
            if self._session is None:
                spec = resolve(self._spec, self.options)
                log.debug("%s connecting to %s as %s", self.name, spec.address, spec.user)
                try:
                    self._session = _Session(spec, self.options, self._sudo)
                except TargetError:
                    raise
                except Exception as error:  # paramiko's own errors, one line
                    raise TargetError(f"cannot connect to {spec.address}: {error or type(error).__name__}") from None
            return self._session

    def _call(self, probe: Callable[[_Session], T]) -> T:
        """Run *probe* on the session; on a lost connection reconnect once and retry."""
        session = self._live_session()
        try:
            return _attempt(session, probe)
        except SessionLost as lost:
            return self._reconnect_and_retry(session, str(lost), probe)

    def _reconnect_and_retry(self, session: _Session, lost: str, probe: Callable[[_Session], T]) -> T:
        with self._connect_lock:
            if self._session is session:
                session.close()
                self._session = None
                if self._reconnected:
                    self._dead = f"connection to {self.name} lost again ({lost}); not reconnecting twice"
                    raise TargetError(self._dead)
                self._reconnected = True
                log.warning("%s: connection lost (%s); reconnecting", self.name, lost)
                try:
                    self._live_session()
                except TargetError as error:
                    self._dead = f"connection to {self.name} lost ({lost}); reconnecting failed: {error}"
                    raise TargetError(self._dead) from None
        try:
            return _attempt(self._live_session(), probe)
        except SessionLost as lost:
            raise TargetError(f"connection to {self.name} lost: {lost}") from None

    def close(self) -> None:
        with self._connect_lock:
            if self._session is not None:
                self._session.close()
                self._session = None

    # ------------------------------------------------------------ primitives
    def _run(self, command: str, timeout: float | None) -> CommandResult:
        return self._call(lambda s: s.shell.run(command, timeout))

    def _stat(self, path: str) -> FileStat:
        return self._call(lambda s: s.files.stat(path))

    def _open(self, path: str) -> BinaryIO:
        return self._call(lambda s: s.files.open(path))

    def _listdir(self, path: str) -> list[str]:
        return self._call(lambda s: s.files.listdir(path))


class SftpFiles:
    """``stat``/``open``/``listdir`` over one SFTP session (the counterpart of ``ShellFiles``)::

        SftpFiles(sftp).stat("/etc/shadow").mode   # 0o640
    """

    def __init__(self, sftp):
        self.sftp = sftp

    def stat(self, path: str) -> FileStat:
        sftp = self.sftp
        try:
            st = sftp.lstat(path)
        except FileNotFoundError:
            return FileStat(path=path, exists=False)
        except PermissionError:
            return FileStat(path=path, exists=False, error=f"Permission denied: {path}")
        kind = file_type(st.st_mode)
        link_path = target_type = None
        if kind == "symlink":
            link_path = self._realpath(path)
            try:
                target_type = file_type(sftp.stat(path).st_mode)
            except OSError:
                target_type = None
        return FileStat(
            path=path, exists=True, type=kind, mode=st.st_mode & 0o7777, uid=st.st_uid, gid=st.st_gid,
            size=st.st_size, mtime=float(st.st_mtime) if st.st_mtime is not None else None,
            link_path=link_path, target_type=target_type,
        )

    def _realpath(self, path: str) -> str:
        """The fully resolved path (as ``os.path.realpath``), also for a dangling link."""
        import posixpath

        try:
            return self.sftp.normalize(path)
        except OSError:
            target = self.sftp.readlink(path) or ""
            return posixpath.normpath(posixpath.join(posixpath.dirname(path), target))

    def open(self, path: str) -> BinaryIO:
        import stat as stat_mod

        handle = self.sftp.open(path, "rb")
        size = handle.stat()
        if stat_mod.S_ISDIR(size.st_mode or 0):
            handle.close()
            raise IsADirectoryError(path)
        return SftpReader(handle, size.st_size or 0, path)

    def listdir(self, path: str) -> list[str]:
        return self.sftp.listdir(path)


def _attempt(session: _Session, probe: Callable[[_Session], T]) -> T:
    """*probe(session)*; any failure of a session that has gone inactive becomes SessionLost."""
    try:
        return probe(session)
    except SessionLost:
        raise
    except Exception as error:
        if session.active:
            raise
        raise SessionLost(str(error) or type(error).__name__) from error
