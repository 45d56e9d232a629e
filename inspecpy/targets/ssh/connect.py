"""Opening one authenticated SSH connection (paramiko): config, host keys, auth.

:func:`resolve` merges the URI with ``~/.ssh/config`` (HostName, User, Port,
IdentityFile, ProxyJump, ProxyCommand, UserKnownHostsFile); :func:`connect`
opens a TCP socket with Nagle off (or a ``direct-tcpip`` channel through each
ProxyJump hop, or the pipes of a ProxyCommand run by ``/bin/sh``), checks the host key against known_hosts and authenticates with keys,
the agent, then the password::

    spec = resolve(HostSpec(host="db1", user=None, port=None), options)
    conn = connect(spec, options)        # Connection(transport=..., hops=[...])
    conn.transport.open_session()

Every failure is a :class:`TargetError` with one line that names the host
(and the fingerprint, for host keys); a password never appears in one.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import logging
import os
import re
import select
import shlex
import socket
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from inspecpy.errors import TargetError
from inspecpy.targets.base import TargetOptions
from inspecpy.targets.ssh.known_hosts import known_hosts

if TYPE_CHECKING:  # pragma: no cover - paramiko is imported where a connection is made
    import paramiko

log = logging.getLogger("inspecpy.target.ssh")

DEFAULT_KEYS = ("~/.ssh/id_ed25519", "~/.ssh/id_ecdsa", "~/.ssh/id_rsa")
KEEPALIVE_SECONDS = 30


@dataclass(frozen=True)
class HostSpec:
    """Where to connect and as whom, after ``~/.ssh/config`` is applied."""

    host: str
    user: str | None = None
    port: int | None = None
    identity_files: tuple[str, ...] = ()
    proxy_jump: str | None = None
    known_hosts: tuple[str, ...] = ()
    proxy_command: str | None = None     # with its %-tokens expanded

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port or 22}"

    @property
    def known_hosts_name(self) -> str:
        """The name OpenSSH files the host key under: ``host`` or ``[host]:port``."""
        return self.host if (self.port or 22) == 22 else f"[{self.host}]:{self.port}"


@dataclass
class Connection:
    """An authenticated transport and the jump-host transports it runs through."""

    transport: paramiko.Transport
    hops: list = field(default_factory=list)

    def close(self) -> None:
        for transport in [self.transport, *reversed(self.hops)]:
            try:
                transport.close()
            except Exception:  # closing a dead transport: nothing to do
                pass


def parse_hop(text: str) -> HostSpec:
    """One ProxyJump hop: ``[user@]host[:port]`` (or ``ssh://…``).

    >>> parse_hop("admin@bastion:2222")
    HostSpec(host='bastion', user='admin', port=2222, ...)
    """
    text = text.strip().removeprefix("ssh://")
    user, _, hostport = text.rpartition("@")
    host, port = hostport, None
    if hostport.startswith("["):
        host, _, rest = hostport[1:].partition("]")
        port = rest[1:] or None
    elif hostport.count(":") == 1:
        host, _, port = hostport.partition(":")
    if port is not None and not str(port).isdigit():
        raise TargetError(f"bad ProxyJump hop {text!r}: port must be a number")
    return HostSpec(host=host, user=user or None, port=int(port) if port else None)


def ssh_config_path() -> str:
    return os.path.expanduser("~/.ssh/config")


def resolve(spec: HostSpec, options: TargetOptions) -> HostSpec:
    """Apply ``~/.ssh/config`` to *spec* (values in the URI win), and fill defaults."""
    import paramiko

    entry: dict = {}
    path = ssh_config_path()
    if os.path.isfile(path):
        try:
            config = paramiko.SSHConfig.from_path(path)
            # ProxyCommand's tokens are expanded below, with the URI's user and port (paramiko would
            # use the config file's, and does not know %%)
            config.TOKENS_BY_CONFIG_KEY = {**config.TOKENS_BY_CONFIG_KEY, "proxycommand": []}
            entry = config.lookup(spec.host)
        except Exception as error:  # a broken config file must say which one
            raise TargetError(f"cannot read {path}: {error}") from None
    port = spec.port or entry.get("port")
    jump = entry.get("proxyjump")
    jump = None if jump in (None, "none") else jump
    known = tuple(os.path.expanduser(p) for p in str(entry.get("userknownhostsfile", "")).split() if p)
    resolved = replace(
        spec,
        host=entry.get("hostname", spec.host),
        user=spec.user or options.user or entry.get("user") or getpass.getuser(),
        port=int(port) if port else 22,
        identity_files=tuple(os.path.expanduser(p) for p in entry.get("identityfile", ())),
        proxy_jump=jump,
        known_hosts=(options.known_hosts,) if options.known_hosts else known or ("~/.ssh/known_hosts",),
    )
    command = entry.get("proxycommand")  # None for "ProxyCommand none"
    if command and jump:
        raise TargetError(f"{path} sets both ProxyJump and ProxyCommand for {spec.host} (OpenSSH uses the "
                          "first one it reads); keep one")
    return replace(resolved, proxy_command=expand_proxy_command(command, resolved, spec.host) if command else None)


_TOKEN = re.compile(r"%(.?)", re.DOTALL)
_SHELL_SAFE = re.compile(r"[\w.:@%+=,/-]*", re.ASCII)


def expand_proxy_command(command: str, spec: HostSpec, alias: str) -> str:
    """Expand OpenSSH's ProxyCommand tokens: ``%h`` host, ``%p`` port, ``%r`` remote user,
    ``%n`` the name as given, ``%u`` local user, ``%%``. A value with shell metacharacters is
    refused (the command runs in a shell)::

        expand_proxy_command("nc -X connect -x proxy:3128 %h %p", HostSpec("db1", "me", 22), "db1")
        # 'nc -X connect -x proxy:3128 db1 22'
    """
    values = {"h": spec.host, "p": str(spec.port or 22), "r": spec.user or getpass.getuser(), "n": alias,
              "u": getpass.getuser(), "%": "%"}

    def value(match: re.Match) -> str:
        token = match.group(1)
        if token not in values:
            raise TargetError(f"ProxyCommand {command!r}: unknown token %{token} (known: %h %p %r %n %u %%)")
        if token != "%" and not _SHELL_SAFE.fullmatch(values[token]):
            raise TargetError(f"ProxyCommand {command!r}: refusing to put %{token}={values[token]!r} "
                              "(shell metacharacters) into a shell command")
        return values[token]

    return _TOKEN.sub(value, command)


def fingerprint(key) -> str:
    """OpenSSH's ``SHA256:…`` fingerprint of a public key."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


# ----------------------------------------------------------------- connecting
def connect(spec: HostSpec, options: TargetOptions, _hops: list | None = None) -> Connection:
    """Open, verify and authenticate a connection to *spec* (through its ProxyJump hops)."""
    hops = [] if _hops is None else _hops
    try:
        if spec.proxy_jump:
            sock = _jump_socket(spec, spec.proxy_jump, options, hops)
        else:
            sock = _direct_socket(spec, options)
        transport = _handshake(sock, spec, options)
        try:
            _authenticate(transport, spec, options)
        except BaseException:
            transport.close()
            raise
    except BaseException:
        for hop in hops:
            hop.close()
        raise
    transport.set_keepalive(KEEPALIVE_SECONDS)
    return Connection(transport=transport, hops=hops)


def _direct_socket(spec: HostSpec, options: TargetOptions):
    """The ProxyCommand's pipes when there is one, else a TCP socket."""
    if not spec.proxy_command:
        return _tcp_socket(spec, options)
    import paramiko

    class ProxyCommand(paramiko.ProxyCommand):
        """paramiko's, but a read returns what is there, and b"" once the command has exited
        (paramiko's waits for all *size* bytes, and spins until the timeout at EOF)."""

        def recv(self, size: int) -> bytes:
            stdout = self.process.stdout
            assert stdout is not None  # paramiko starts the command with stdout=PIPE
            if not select.select([stdout], [], [], self.timeout)[0]:
                raise socket.timeout()
            try:
                return os.read(stdout.fileno(), size)
            except OSError as error:
                raise paramiko.ProxyCommandFailure(" ".join(self.cmd), error.strerror or str(error)) from None

    log.debug("connecting to %s through ProxyCommand %r", spec.address, spec.proxy_command)
    try:  # as OpenSSH: `exec COMMAND` in a shell, so quotes, ~ and redirections work
        return ProxyCommand(shlex.join(["/bin/sh", "-c", "exec " + spec.proxy_command]))
    except Exception as error:
        raise TargetError(f"ProxyCommand {spec.proxy_command!r} did not start: {error}") from None


def _proxy_problem(sock) -> str:
    """`` (ProxyCommand 'CMD': its last stderr line)`` once it has exited, else ''."""
    process = getattr(sock, "process", None)
    if process is None:
        return ""
    try:
        process.wait(timeout=2)
    except Exception:  # still running: its stderr cannot be read without blocking
        return ""
    lines = process.stderr.read().decode("utf-8", "replace").strip().splitlines()
    why = lines[-1] if lines else f"exit status {process.returncode}"
    return f" (ProxyCommand {sock.cmd[-1].removeprefix('exec ')!r}: {why})"


def _tcp_socket(spec: HostSpec, options: TargetOptions) -> socket.socket:
    try:
        sock = socket.create_connection((spec.host, spec.port or 22), timeout=options.connect_timeout)
    except socket.gaierror as error:
        raise TargetError(f"cannot resolve host {spec.host!r}: {error.strerror}") from None
    except socket.timeout:
        raise TargetError(f"cannot connect to {spec.address}: timed out after {options.connect_timeout:g}s") from None
    except OSError as error:
        raise TargetError(f"cannot connect to {spec.address}: {(error.strerror or str(error)).lower()}") from None
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no Nagle stall on small requests
    return sock


def _jump_socket(spec: HostSpec, proxy_jump: str, options: TargetOptions, hops: list):
    """A ``direct-tcpip`` channel to *spec* through the chain of ProxyJump hosts (*proxy_jump*, spec's own)."""
    previous = None
    for text in proxy_jump.split(","):
        hop = resolve(parse_hop(text), replace(options, password=None))
        hop = replace(hop, proxy_jump=None, proxy_command=hop.proxy_command if previous is None else None)
        sock = _direct_socket(hop, options) if previous is None else _open_forward(previous, hop)
        transport = _handshake(sock, hop, options)
        hops.append(transport)
        _authenticate(transport, hop, replace(options, password=None))
        previous = transport
    return _open_forward(previous, spec)


def _open_forward(transport, spec: HostSpec):
    try:
        return transport.open_channel("direct-tcpip", (spec.host, spec.port), ("127.0.0.1", 0))
    except Exception as error:
        raise TargetError(f"jump host cannot reach {spec.address}: {error}") from None


def _handshake(sock, spec: HostSpec, options: TargetOptions):
    """Key exchange, then the host-key check (or the --insecure warning)."""
    import paramiko

    transport = paramiko.Transport(sock)
    transport.banner_timeout = transport.auth_timeout = options.connect_timeout
    known = None if options.insecure else _known_hosts(spec)
    if known is not None:
        _prefer_known_key_types(transport, known.lookup(spec.known_hosts_name))
    try:
        transport.start_client(timeout=options.connect_timeout)
    except (paramiko.SSHException, EOFError, OSError) as error:
        why = f"{str(error) or type(error).__name__}{_proxy_problem(sock)}"
        transport.close()
        raise TargetError(f"SSH handshake with {spec.address} failed: {why}") from None
    key = transport.get_remote_server_key()
    if known is None:
        log.warning("--insecure: not checking the host key of %s (%s %s)", spec.known_hosts_name,
                    key.get_name(), fingerprint(key))
    else:
        try:
            _check_host_key(key, spec, known)
        except TargetError:
            transport.close()
            raise
    return transport


def _known_hosts(spec: HostSpec):
    return known_hosts((*spec.known_hosts, "/etc/ssh/ssh_known_hosts"))


def _prefer_known_key_types(transport, entry) -> None:
    """Ask the server for the key type known_hosts holds, as OpenSSH does."""
    if not entry:
        return
    wanted: list[str] = []
    for kind in entry.keys():
        wanted += ["rsa-sha2-512", "rsa-sha2-256"] if kind == "ssh-rsa" else [kind]
    options = transport.get_security_options()
    offered = list(options.key_types)
    options.key_types = [k for k in wanted if k in offered] + [k for k in offered if k not in wanted]


def _check_host_key(key, spec: HostSpec, known) -> None:
    name, kind, got = spec.known_hosts_name, key.get_name(), fingerprint(key)
    files = ", ".join(spec.known_hosts)
    entry = known.lookup(name)
    if entry is not None and kind in entry:
        if entry[kind] == key:
            log.debug("host key of %s verified: %s %s", name, kind, got)
            return
        raise TargetError(
            f"HOST KEY CHANGED for {name}: the server offers {kind} {got} but known_hosts ({files}) has "
            f"{fingerprint(entry[kind])}; the connection may be intercepted (or the host reinstalled): "
            "fix the known_hosts entry, or use --insecure"
        )
    raise TargetError(
        f"unknown host key for {name}: {kind} {got} is not in {files}; check the fingerprint, then add it "
        f"(ssh-keyscan -p {spec.port} {spec.host} >> ~/.ssh/known_hosts) or pass --known-hosts FILE, "
        "or use --insecure"
    )


# --------------------------------------------------------------- authenticating
def _load_key(path: str, required: bool):
    """A private key from *path*; None for an unusable optional key (config, defaults)."""
    import paramiko

    if not os.path.isfile(path):
        if required:
            raise TargetError(f"key file not found: {path}")
        return None
    passphrase = os.environ.get("INSPECPY_KEY_PASSPHRASE") or None
    try:
        return paramiko.PKey.from_path(path, password=passphrase)
    except (paramiko.PasswordRequiredException, TypeError):  # TypeError: cryptography's "password-protected"
        problem = f"key file {path} is encrypted: add it to ssh-agent (ssh-add) or set INSPECPY_KEY_PASSPHRASE"
        if passphrase:
            problem = f"key file {path}: wrong INSPECPY_KEY_PASSPHRASE"
    except (paramiko.SSHException, OSError, ValueError) as error:
        problem = f"cannot use key file {path}: {error}"
    if required:
        raise TargetError(problem)
    log.debug("skipping %s", problem)
    return None


def _keys(spec: HostSpec, options: TargetOptions) -> list[tuple[str, object]]:
    """(label, key) pairs in the order they are offered: -i, IdentityFile, agent, defaults."""
    import paramiko

    keys = [(f"key {p}", _load_key(os.path.expanduser(p), True)) for p in options.key_files]
    keys += [(f"key {p}", _load_key(p, False)) for p in spec.identity_files]
    try:
        keys += [(f"agent key {fingerprint(k)}", k) for k in paramiko.Agent().get_keys()]
    except paramiko.SSHException as error:
        log.debug("ssh-agent not usable: %s", error)
    if not options.key_files and not spec.identity_files:
        keys += [(f"key {p}", _load_key(os.path.expanduser(p), False)) for p in DEFAULT_KEYS]
    return [(label, key) for label, key in keys if key is not None]


def _authenticate(transport, spec: HostSpec, options: TargetOptions) -> None:
    import paramiko

    tried: list[str] = []
    for label, key in _keys(spec, options):
        tried.append(label)
        try:
            transport.auth_publickey(spec.user, key)
        except paramiko.AuthenticationException:
            continue
        except paramiko.SSHException as error:
            raise TargetError(f"authentication with {spec.address} failed: {error}") from None
        if transport.is_authenticated():
            log.debug("authenticated to %s as %s with %s", spec.address, spec.user, label)
            return
    if options.password is not None:
        tried.append("password")
        if _password_auth(transport, spec.user, options.password):
            log.debug("authenticated to %s as %s with a password", spec.address, spec.user)
            return
    what = ", ".join(tried) if tried else "nothing: no key (-i), agent or password (--password) given"
    raise TargetError(f"authentication failed for {spec.user}@{spec.address} (tried {what})")


def _password_auth(transport, user: str | None, password: str) -> bool:
    """Password, or keyboard-interactive answering each prompt with it."""
    import paramiko

    try:
        transport.auth_password(user, password)
    except paramiko.BadAuthenticationType as error:
        if "keyboard-interactive" not in error.allowed_types:
            return False
        try:
            transport.auth_interactive(user, lambda title, instructions, prompts: [password] * len(prompts))
        except paramiko.AuthenticationException:
            return False
    except paramiko.AuthenticationException:
        return False
    except paramiko.SSHException as error:
        raise TargetError(f"authentication failed for {user}: {error}") from None
    return transport.is_authenticated()
