"""An SSH target that does not share this machine's files.

sshd runs in its own mount and UTS namespaces (``unshare --mount --uts``,
with no fork: the PID that :class:`subprocess.Popen` returns *is* sshd).
Inside, ``/etc``, ``/root``, ``/home``, ``/tmp``, ``/run``, ``/srv``, ``/opt``,
``/work`` and the top folder of this checkout (and of the pytest temp dir; or,
when that is a system folder like ``/usr``, its parent folder) are bind mounts of
folders this class writes under ``workdir/root``, so they hold only what it
put there, while ``/usr``, ``/bin``, ``/lib`` and ``/var`` are the machine's
and every program still runs::

    users = ensure_test_users(tmp)                        # tests/integration/sshd.py
    with IsolatedSshServer.start_new(tmp / "iso", users) as server:
        server.args()                 # -t ssh://inspecpy-ssh@127.0.0.1:PORT -i KEY --known-hosts FILE
        server.ssh(f"cat {server.marker_path}").stdout == server.marker_content + "\\n"
        server.login_defs_max_days    # 42 (this machine's login.defs says 99999)
        server.put("/etc/app.conf", "x = 1\\n")   # a file only the isolated host has

Its own ``/etc`` holds: ``passwd``/``shadow``/``group`` with root, sshd,
nobody, the three test users (same uid, same password hash) and
:attr:`extra_user` (which exists only there); ``login.defs`` with
``PASS_MAX_DAYS 42``; an ``os-release`` of Ubuntu 22.04; ``hostname``
``inspecpy-isolated`` (also the namespace's host name); the marker file
``/etc/inspecpy-isolated`` with a random token; ``ssh/sshd_config`` (the
running server's) and its host key; sudoers for the test users; and, so that
programs run, a copy of ``ld.so.cache``, ``alternatives/``, ``pam.d/`` and
``security/``.
"""

from __future__ import annotations

import grp
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.integration.sshd import (BENCH_USER, SFTP_SERVERS, SSHD, SshServer, TestUsers, _sshd_version,
                                    descendants, free_port, keygen)
from tests.servers.process import alive

ROOT = Path(__file__).resolve().parents[2]      # this checkout
HOSTNAME = "inspecpy-isolated"
MARKER_PATH = "/etc/inspecpy-isolated"
EXTRA_USER, EXTRA_UID = "inspecpy-iso", 4242    # exists only on the isolated host
LOGIN_DEFS = {
    "MAIL_DIR": "/var/mail", "ENV_PATH": "PATH=/usr/local/bin:/usr/bin:/bin",
    "UMASK": "027", "PASS_MAX_DAYS": "42", "PASS_MIN_DAYS": "7", "PASS_WARN_AGE": "14",
    "UID_MIN": "1000", "UID_MAX": "60000", "GID_MIN": "1000", "GID_MAX": "60000",
    "LOGIN_RETRIES": "3", "LOGIN_TIMEOUT": "60", "ENCRYPT_METHOD": "SHA512",
}
OS_RELEASE = {
    "PRETTY_NAME": "Ubuntu 22.04.4 LTS", "NAME": "Ubuntu", "VERSION_ID": "22.04",
    "VERSION": "22.04.4 LTS (Jammy Jellyfish)", "VERSION_CODENAME": "jammy", "ID": "ubuntu",
    "ID_LIKE": "debian",
}
# Folders the machine's programs need: never replaced (the checkout's parent is hidden instead).
SYSTEM_DIRS = {"", "usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "proc", "sys", "dev", "var", "boot"}
# Copied from this machine so that programs work; none of them is a fact a test asserts.
COPIED_FROM_HOST = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "pam.d", "security",
                    "localtime", "mtab", "shells", "sudo.conf", "ssh/moduli", "bash.bashrc", "profile")
# The namespace's mounts: host name, then SOURCE TARGET pairs, then "--" and sshd's command line.
_MOUNT_SCRIPT = r"""set -e
hostname "$1"; shift
while [ "$1" != "--" ]; do mount --bind "$1" "$2"; shift 2; done
shift
exec "$@"
"""


def why_not_available() -> str | None:
    """None when an sshd in its own mount namespace can run here, else why not (for ``pytest.skip``)."""
    if os.geteuid() != 0:
        return "needs root: mount namespaces, bind mounts and the SSH test users"
    unshare = shutil.which("unshare")
    if unshare is None:
        return None  # a missing package: let start_new fail loudly (install-test-deps.sh installs util-linux)
    probe = subprocess.run([unshare, "--mount", "--uts", "--propagation", "private", "true"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return f"mount/UTS namespaces are not permitted here: {probe.stderr.strip()}"
    return None


def _top(path: Path) -> str:
    parts = path.resolve().parts
    return parts[1] if len(parts) > 1 else ""


@dataclass
class IsolatedSshServer(SshServer):
    """sshd in its own mount namespace; :attr:`root` is the host folder its replaced folders come from."""

    marker_path: str = MARKER_PATH
    marker_content: str = field(default_factory=lambda: f"inspecpy-isolated {secrets.token_hex(8)}")
    hostname: str = HOSTNAME
    login_defs: dict[str, str] = field(default_factory=lambda: dict(LOGIN_DEFS))
    os_release: dict[str, str] = field(default_factory=lambda: dict(OS_RELEASE))
    extra_user: str = EXTRA_USER
    extra_uid: int = EXTRA_UID
    sshd_login_grace_time: int = 42          # ``LoginGraceTime 42`` in its sshd_config
    replaced: tuple[str, ...] = ()           # the folders (inside) that are bind mounts of root/...
    mnt_namespace: str = ""
    _extra_binds: list[Path] = field(default_factory=list)   # system-folder parents hidden by an empty folder

    @property
    def root(self) -> Path:
        return self.workdir / "root"

    @property
    def login_defs_max_days(self) -> int:
        return int(self.login_defs["PASS_MAX_DAYS"])

    @property
    def log(self) -> Path:
        return self.root / "run" / "sshd.log"          # /run/sshd.log inside

    @property
    def sshd_config_path(self) -> str:
        return "/etc/ssh/sshd_config"

    @classmethod
    def start_new(cls, workdir: Path, users: TestUsers, hosts: tuple[str, ...] = ("127.0.0.1",),
                  port: int | None = None, extra_config: str = "", sftp: bool = True,
                  files: dict[str, str | bytes] | None = None) -> "IsolatedSshServer":
        """Write the isolated tree, start sshd in its namespace, wait until it accepts connections.

        *files* maps absolute paths inside a replaced folder (``/etc/…``, ``/root/…``, ``/home/…``,
        ``/tmp/…``, ``/srv/…`` when listed…) to their content; more can be added later with :meth:`put`."""
        server = cls(workdir=workdir, users=users, port=port or free_port(hosts[0]), hosts=hosts)
        server._configure(extra_config, sftp)
        for path, content in (files or {}).items():
            server.put(path, content)
        server.start()
        return server

    # ------------------------------------------------------------ the tree
    def host_path(self, path: str) -> Path:
        """Where the file *path* of the isolated host lies on this machine (inside a replaced folder)."""
        inner = Path(path)
        if not inner.is_absolute() or len(inner.parts) < 3 or inner.parts[1] not in self.replaced:
            raise ValueError(f"{path} is not inside a folder the isolated host replaces: {self.replaced}")
        return self.root.joinpath(*inner.parts[1:])

    def put(self, path: str, content: str | bytes, mode: int = 0o644, owner: str | None = None) -> Path:
        """Write a file that only the isolated host has (visible at once, even while it runs)."""
        target = self.host_path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        (target.write_bytes if isinstance(content, bytes) else target.write_text)(content)
        os.chmod(target, mode)
        if owner:
            entry = pwd.getpwnam(owner)
            os.chown(target, entry.pw_uid, entry.pw_gid)
        return target

    def _configure(self, extra_config: str, sftp: bool = True) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        if self.root.exists():
            shutil.rmtree(self.root)
        tops = {"etc", "root", "home", "tmp", "run", "srv", "opt"}
        if os.path.isdir("/work"):
            tops.add("work")
        extra_binds = []
        for hidden in (ROOT, self.workdir):            # the checkout and the pytest temp dir are not there
            top = _top(hidden)
            if top in SYSTEM_DIRS:
                extra_binds.append(hidden.resolve().parent)
            else:
                tops.add(top)
        self.replaced = tuple(sorted(t for t in tops if os.path.isdir(f"/{t}")))
        for top in self.replaced:
            (self.root / top).mkdir(parents=True)
        os.chmod(self.root / "tmp", 0o1777)
        os.chmod(self.root / "root", 0o700)
        self._extra_binds = list(dict.fromkeys(extra_binds))
        self._write_etc()
        self._write_homes()
        (self.root / "run" / "sshd").mkdir(mode=0o755)   # privilege separation directory
        self._write_sshd_config(extra_config, sftp)
        self.write_known_hosts(self.known_hosts_path())

    def _write_etc(self) -> None:
        etc = self.root / "etc"
        for name in COPIED_FROM_HOST:
            source = Path("/etc", name)
            dest = etc / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            if source.is_symlink():
                os.symlink(os.readlink(source), dest)
            elif source.is_dir():
                shutil.copytree(source, dest, symlinks=True)
            elif source.exists():
                shutil.copy2(source, dest)
        users = [pwd.getpwnam(n) for n in ("root", "sshd", "nobody", self.users.user, self.users.sudo_user,
                                             BENCH_USER)]
        shadow_of = {}
        for line in Path("/etc/shadow").read_text().splitlines():
            name = line.split(":", 1)[0]
            shadow_of[name] = line
        passwd_lines = [":".join([u.pw_name, "x", str(u.pw_uid), str(u.pw_gid), u.pw_gecos, u.pw_dir, u.pw_shell])
                        for u in users]
        passwd_lines.append(f"{self.extra_user}:x:{self.extra_uid}:{self.extra_uid}:isolated only:"
                            f"/home/{self.extra_user}:/usr/sbin/nologin")
        shadow_lines = [shadow_of.get(u.pw_name, f"{u.pw_name}:*:19000:0:99999:7:::") for u in users]
        shadow_lines.append(f"{self.extra_user}:!:19000:7:42:14:::")
        groups = {}
        for u in users:
            g = grp.getgrgid(u.pw_gid)
            groups[g.gr_gid] = f"{g.gr_name}:x:{g.gr_gid}:"
        groups[grp.getgrnam("shadow").gr_gid] = f"shadow:x:{grp.getgrnam('shadow').gr_gid}:"
        groups[self.extra_uid] = f"{self.extra_user}:x:{self.extra_uid}:"
        self._etc_file("passwd", "\n".join(passwd_lines) + "\n", 0o644)
        self._etc_file("shadow", "\n".join(shadow_lines) + "\n", 0o640, group="shadow")
        self._etc_file("group", "\n".join(groups[g] for g in sorted(groups)) + "\n", 0o644)
        self._etc_file("gshadow", "".join(f"{line.split(':')[0]}:!::\n" for line in groups.values()), 0o640,
                       group="shadow")
        self._etc_file("login.defs", "# inspecpy isolated test host\n"
                       + "".join(f"{k}\t{v}\n" for k, v in self.login_defs.items()), 0o644)
        self._etc_file("os-release", "".join(f'{k}="{v}"\n' for k, v in self.os_release.items()), 0o644)
        self._etc_file("hostname", self.hostname + "\n", 0o644)
        self._etc_file("hosts", f"127.0.0.1\tlocalhost\n127.0.1.1\t{self.hostname}\n", 0o644)
        self._etc_file("nsswitch.conf", "passwd: files\ngroup: files\nshadow: files\ngshadow: files\n"
                       "hosts: files\n", 0o644)
        self._etc_file(self.marker_path.removeprefix("/etc/"), self.marker_content + "\n", 0o644)
        self._etc_file("sudoers", "Defaults env_reset\nDefaults secure_path=\"/usr/sbin:/usr/bin:/sbin:/bin\"\n"
                       "root ALL=(ALL:ALL) ALL\n"
                       f"{self.users.user} ALL=(ALL) NOPASSWD: ALL\n{self.users.sudo_user} ALL=(ALL) ALL\n"
                       f"Defaults:{self.users.sudo_user} !lecture\n", 0o440)

    def _etc_file(self, name: str, text: str, mode: int, group: str | None = None) -> None:
        path = self.root / "etc" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        os.chmod(path, mode)
        if group:
            os.chown(path, 0, grp.getgrnam(group).gr_gid)

    def _write_homes(self) -> None:
        for name in (self.users.user, self.users.sudo_user, BENCH_USER):
            entry = pwd.getpwnam(name)
            home = self.root / "home" / name
            ssh_dir = home / ".ssh"
            ssh_dir.mkdir(parents=True, mode=0o700)
            (ssh_dir / "authorized_keys").write_text(self.users.public_key + "\n")
            (home / ".profile").write_text("# inspecpy isolated test host\n")
            for path in (home, ssh_dir, ssh_dir / "authorized_keys", home / ".profile"):
                os.chown(path, entry.pw_uid, entry.pw_gid)
            os.chmod(ssh_dir / "authorized_keys", 0o600)
        (self.root / "root" / ".inspecpy-isolated-root").write_text("root's home on the isolated host\n")

    def _write_sshd_config(self, extra_config: str, sftp: bool) -> None:
        ssh_etc = self.root / "etc" / "ssh"
        ssh_etc.mkdir(parents=True, exist_ok=True)
        self.host_key = keygen(ssh_etc / "ssh_host_ed25519_key", comment="inspecpy-isolated-host")
        server = next((p for p in SFTP_SERVERS if os.path.exists(p)), "internal-sftp")
        lines = [
            "# inspecpy isolated test host", f"Port {self.port}", *(f"ListenAddress {h}" for h in self.hosts),
            "HostKey /etc/ssh/ssh_host_ed25519_key", "PidFile /run/sshd.pid",
            "AuthorizedKeysFile .ssh/authorized_keys", "StrictModes yes", "UsePAM no",
            "PasswordAuthentication yes", "PubkeyAuthentication yes", "KbdInteractiveAuthentication no",
            "PermitRootLogin no", f"AllowUsers {self.users.user} {self.users.sudo_user} {BENCH_USER}",
            *([f"Subsystem sftp {server}"] if sftp else []), "LogLevel INFO", "MaxStartups 200:30:400",
            "MaxSessions 20", "UseDNS no", f"LoginGraceTime {self.sshd_login_grace_time}",
            "X11Forwarding no", "ClientAliveInterval 0",
        ]
        if _sshd_version() >= (9, 8):
            lines.append("PerSourcePenalties no")
        self.config = ssh_etc / "sshd_config"
        self.config.write_text("\n".join(lines) + "\n" + extra_config)
        os.chmod(self.config, 0o644)

    # ------------------------------------------------------------ process
    def _mounts(self) -> list[str]:
        """SOURCE TARGET pairs; the folder holding :attr:`root` (e.g. /tmp) is mounted last."""
        pairs = [(str(self.root / top), f"/{top}") for top in self.replaced]
        empty = self.workdir / "empty"
        empty.mkdir(exist_ok=True)
        pairs += [(str(empty), str(p)) for p in self._extra_binds]
        holder = _top(self.root)
        pairs.sort(key=lambda pair: pair[1] == f"/{holder}" or self.root.resolve().is_relative_to(pair[1]))
        return [item for pair in pairs for item in pair]

    def start(self) -> None:
        unshare = shutil.which("unshare")
        if unshare is None:
            raise RuntimeError("unshare (util-linux) is not installed: run scripts/install-test-deps.sh")
        self.log.write_text("")
        argv = [unshare, "--mount", "--uts", "--propagation", "private", "--", "/bin/sh", "-c", _MOUNT_SCRIPT,
                "isolated-sshd", self.hostname, *self._mounts(), "--",
                SSHD, "-D", "-f", self.sshd_config_path, "-E", "/run/sshd.log"]
        self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                out = self.process.stdout.read().decode(errors="replace") if self.process.stdout else ""
                raise RuntimeError(f"isolated sshd exited with {self.process.returncode}: {out}"
                                   f"{self.log.read_text()}")
            try:
                socket.create_connection((self.host, self.port), timeout=0.5).close()
                self.mnt_namespace = os.readlink(f"/proc/{self.pid}/ns/mnt")
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"isolated sshd did not listen on {self.host}:{self.port}: {self.log.read_text()}")

    def namespace_pids(self) -> list[int]:
        """Every live process in this server's mount namespace (sshd and its sessions; no zombies)."""
        if not self.mnt_namespace:
            return []
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.readlink(entry / "ns" / "mnt") == self.mnt_namespace and alive(int(entry.name)):
                        found.append(int(entry.name))
                except OSError:
                    continue
        return found

    def stop(self) -> None:
        """Stop sshd by its PID, then SIGKILL whatever else still runs in its namespace (by PID)."""
        if self.process is None:
            return
        leftovers = set(self.namespace_pids()) | set(descendants(self.pid) if self.process.poll() is None else [])
        super().stop()
        leftovers |= set(self.namespace_pids())
        for pid in leftovers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in leftovers) and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.process.stdout:
            self.process.stdout.close()

    # ------------------------------------------------------------ client side
    def ssh(self, command: str, user: str | None = None, check: bool = False,
            timeout: float = 30) -> subprocess.CompletedProcess:
        """Run the shell *command* there with OpenSSH's client (as ``inspecpy-ssh`` by default)."""
        argv = ["ssh", "-p", str(self.port), "-i", str(self.users.key), "-o", "BatchMode=yes",
                "-o", "IdentitiesOnly=yes", "-o", f"UserKnownHostsFile={self.known_hosts}",
                "-o", "StrictHostKeyChecking=yes", "-o", "LogLevel=ERROR", "-F", "/dev/null",
                f"{user or self.users.user}@{self.host}", command]
        return subprocess.run(argv, capture_output=True, text=True, check=check, timeout=timeout,
                              stdin=subprocess.DEVNULL)

    def __enter__(self) -> "IsolatedSshServer":
        return self
