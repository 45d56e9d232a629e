"""A real OpenSSH server on loopback for the integration tests and the benchmark.

Everything is temporary and local: a host key, an ``sshd_config``, the
test users' ``~/.ssh/authorized_keys`` and a ``known_hosts`` that trusts the host key,
``sshd -D -f CONFIG -E LOG`` on 127.0.0.1 and a free port, stopped by PID::

    users = ensure_test_users()                 # needs root: useradd + sudoers
    with SshServer.start_new(tmp_path, users) as server:
        server.args()      # ['-t', 'ssh://inspecpy-ssh@127.0.0.1:40123', '-i', KEY, '--known-hosts', FILE]
        server.options()   # TargetOptions(key_files=[KEY], known_hosts=FILE)
        server.connections()   # logins accepted so far, from the sshd log

Three test users exist after :func:`ensure_test_users`: ``inspecpy-ssh`` (key
and password, NOPASSWD sudo), ``inspecpy-sudopw`` (password only; sudo asks
for that password) and ``inspecpy-bench`` (the same key; its ``~/.bashrc``
sleeps, to measure what rc files cost). The pytest fixtures (``ssh_users``, ``sshd``,
``sshd_factory``) are in ``tests/servers/fixtures.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
SFTP_SERVERS = ("/usr/lib/openssh/sftp-server", "/usr/libexec/openssh/sftp-server", "/usr/lib/ssh/sftp-server",
                "/usr/libexec/sftp-server")

USER = "inspecpy-ssh"
PASSWORD = "Ssh-pw:4711 'quoted' $HOME"          # shell metacharacters on purpose
SUDO_USER = "inspecpy-sudopw"
SUDO_PASSWORD = "Sudo-pw;5813 \"x\" `id`"
BENCH_USER = "inspecpy-bench"                    # key only; its ~/.bashrc costs RC_SECONDS
RC_SECONDS = 0.17
SUDOERS = "/etc/sudoers.d/inspecpy-tests"


def why_not_available() -> str | None:
    """None when a real sshd can run here, else the reason (for ``pytest.skip``)."""
    if os.geteuid() != 0:
        return "needs root: creates the SSH test users and starts sshd (CI runs as root)"
    if not os.path.exists(SSHD):
        return "OpenSSH server not installed (apt-get install openssh-server)"
    if shutil.which("ssh-keygen") is None:
        return "ssh-keygen not installed (apt-get install openssh-client)"
    return None


@dataclass(frozen=True)
class TestUsers:
    """The accounts and the client key every server accepts."""

    user: str
    password: str
    sudo_user: str
    sudo_password: str
    key: Path                 # private key (no passphrase) authorised for ``user``
    public_key: str

    __test__ = False


def _run(*cmd: str, input: str | None = None) -> None:
    subprocess.run(cmd, input=input, text=True, check=True, capture_output=True)


def _ensure_user(name: str, password: str, public_key: str) -> None:
    """Create *name* if missing, set its password and authorise *public_key* (the last 20 keys stay)."""
    if subprocess.run(["id", "-u", name], capture_output=True).returncode != 0:
        _run("useradd", "--create-home", "--shell", "/bin/bash", name)
    _run("chpasswd", input=f"{name}:{password}\n")
    ssh_dir = Path(f"/home/{name}/.ssh")
    ssh_dir.mkdir(mode=0o700, exist_ok=True)
    auth = ssh_dir / "authorized_keys"
    keys = auth.read_text().splitlines() if auth.exists() else []
    auth.write_text("\n".join([*keys[-19:], public_key]) + "\n")
    _run("chown", "-R", f"{name}:{name}", str(ssh_dir))
    os.chmod(auth, 0o600)


def keygen(path: Path, kind: str = "ed25519", passphrase: str = "", comment: str = "inspecpy-test") -> Path:
    """A new key pair at *path* / *path*.pub (OpenSSH format)."""
    path.unlink(missing_ok=True)
    Path(f"{path}.pub").unlink(missing_ok=True)
    _run("ssh-keygen", "-q", "-t", kind, "-N", passphrase, "-C", comment, "-f", str(path))
    return path


def ensure_test_users(workdir: Path) -> TestUsers:
    """Create (or refresh) the two test users, their sudo rules and a client key in *workdir*."""
    workdir.mkdir(parents=True, exist_ok=True)
    key = keygen(workdir / "client_ed25519")
    public_key = Path(f"{key}.pub").read_text().strip()
    _ensure_user(USER, PASSWORD, public_key)
    _ensure_user(SUDO_USER, SUDO_PASSWORD, public_key)
    _ensure_user(BENCH_USER, PASSWORD, public_key)
    bashrc = Path(f"/home/{BENCH_USER}/.bashrc")  # an rc file that does work, as pyenv init does
    bashrc.write_text(f"sleep {RC_SECONDS}  # inspecpy bench: a costly rc file\n")
    rules = f"{USER} ALL=(ALL) NOPASSWD: ALL\n{SUDO_USER} ALL=(ALL) ALL\nDefaults:{SUDO_USER} !lecture\n"
    Path(SUDOERS).write_text(rules)
    os.chmod(SUDOERS, 0o440)
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # sshd's privilege separation directory
    return TestUsers(USER, PASSWORD, SUDO_USER, SUDO_PASSWORD, key, public_key)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _sshd_version() -> tuple[int, int]:
    out = subprocess.run([SSHD, "-V"], capture_output=True, text=True).stderr
    match = re.search(r"OpenSSH_(\d+)\.(\d+)", out)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def children(pid: int) -> list[int]:
    """PIDs whose parent is *pid* (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def descendants(pid: int) -> list[int]:
    """Every process below *pid* (children first found, then theirs)."""
    found, queue = [], [pid]
    while queue:
        kids = children(queue.pop())
        found += kids
        queue += kids
    return found


def kill_sessions(listener: int) -> None:
    """SIGKILL every process of every connection of the sshd *listener* (the listener stays)."""
    for pid in descendants(listener):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@dataclass
class SshServer:
    """One running sshd; ``host``/``port`` to reach it, ``users`` to log in."""

    workdir: Path
    users: TestUsers
    port: int
    hosts: tuple[str, ...] = ("127.0.0.1",)
    process: subprocess.Popen | None = None
    host_key: Path = field(init=False)
    known_hosts: Path = field(init=False)

    @property
    def host(self) -> str:
        return self.hosts[0]

    @property
    def user(self) -> str:
        return self.users.user

    @property
    def password(self) -> str:
        return self.users.password

    @property
    def key(self) -> Path:
        return self.users.key

    @property
    def log(self) -> Path:
        return self.workdir / "sshd.log"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @classmethod
    def start_new(cls, workdir: Path, users: TestUsers, hosts: tuple[str, ...] = ("127.0.0.1",),
                  port: int | None = None, extra_config: str = "", sftp: bool = True) -> "SshServer":
        """Write the configuration, start sshd and wait until it accepts connections.

        ``sftp=False`` leaves out the ``Subsystem sftp`` line, as hardened servers do."""
        server = cls(workdir=workdir, users=users, port=port or free_port(hosts[0]), hosts=hosts)
        server._configure(extra_config, sftp)
        server.start()
        return server

    def _configure(self, extra_config: str, sftp: bool = True) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.host_key = keygen(self.workdir / "ssh_host_ed25519_key", comment="inspecpy-test-host")
        server = next((p for p in SFTP_SERVERS if os.path.exists(p)), "internal-sftp")
        lines = [
            f"Port {self.port}", *(f"ListenAddress {h}" for h in self.hosts),
            f"HostKey {self.host_key}", f"PidFile {self.workdir / 'sshd.pid'}",
            "AuthorizedKeysFile .ssh/authorized_keys", "StrictModes no", "UsePAM no",
            "PasswordAuthentication yes", "PubkeyAuthentication yes", "KbdInteractiveAuthentication no",
            "PermitRootLogin no", f"AllowUsers {self.users.user} {self.users.sudo_user} {BENCH_USER}",
            *([f"Subsystem sftp {server}"] if sftp else []), "LogLevel INFO", "MaxStartups 200:30:400", "MaxSessions 20",
            "UseDNS no", "ClientAliveInterval 0",
        ]
        if _sshd_version() >= (9, 8):
            lines.append("PerSourcePenalties no")  # many failed logins from 127.0.0.1 on purpose
        self.config = self.workdir / "sshd_config"
        self.config.write_text("\n".join(lines) + "\n" + extra_config)
        self.write_known_hosts(self.known_hosts_path())

    def known_hosts_path(self) -> Path:
        self.known_hosts = self.workdir / "known_hosts"
        return self.known_hosts

    def known_hosts_line(self) -> str:
        """``[127.0.0.1]:PORT ssh-ed25519 AAAA…`` for every listen address."""
        kind, blob = Path(f"{self.host_key}.pub").read_text().split()[:2]
        names = ",".join(h if self.port == 22 else f"[{h}]:{self.port}" for h in self.hosts)
        return f"{names} {kind} {blob}"

    def write_known_hosts(self, path: Path) -> Path:
        path.write_text(self.known_hosts_line() + "\n")
        return path

    def start(self) -> None:
        self.log.write_text("")
        self.process = subprocess.Popen([SSHD, "-D", "-f", str(self.config), "-E", str(self.log)],
                                        stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sshd exited with {self.process.returncode}: {self.log.read_text()}")
            try:
                socket.create_connection((self.host, self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"sshd did not listen on {self.host}:{self.port}: {self.log.read_text()}")

    def kill_sessions(self) -> None:
        """Kill the per-connection sshd processes; the listener stays (clients can reconnect)."""
        kill_sessions(self.pid)

    def stop(self) -> None:
        """Stop the listener and every session it started (by PID)."""
        if self.process is None or self.process.poll() is not None:
            return
        sessions = descendants(self.pid)
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for child in sessions:
            try:
                os.kill(child, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def connections(self) -> int:
        """Logins accepted so far (``Accepted publickey/password for …`` lines)."""
        return self.log.read_text().count("Accepted ")

    # ------------------------------------------------------------ client side
    def uri(self, user: str | None = None, host: str | None = None) -> str:
        return f"ssh://{user or self.users.user}@{host or self.host}:{self.port}"

    def args(self, *extra: str, user: str | None = None, key: bool = True) -> list[str]:
        """``-t URI -i KEY --known-hosts FILE`` for ``inspecpy exec``/``detect``."""
        args = ["-t", self.uri(user), "--known-hosts", str(self.known_hosts)]
        if key:
            args += ["-i", str(self.users.key)]
        return args + list(extra)

    def options(self, **overrides):
        """TargetOptions that log in as ``inspecpy-ssh`` with the test key."""
        from inspecpy.targets.base import TargetOptions

        values = dict(key_files=[str(self.users.key)], known_hosts=str(self.known_hosts), connect_timeout=5.0)
        values.update(overrides)
        return TargetOptions(**values)

    def target(self, user: str | None = None, **overrides):
        """An (unconnected) SshTarget for this server."""
        from inspecpy.targets import open_target

        return open_target(self.uri(user), self.options(**overrides))

    def __enter__(self) -> "SshServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
