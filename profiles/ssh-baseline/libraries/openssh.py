"""OpenSSH's built-in defaults, so a setting missing from the file is judged by what sshd really does."""

from __future__ import annotations

import fnmatch
from typing import Any

from inspecpy import Verdict
from inspecpy.errors import ResourceSkipped
from inspecpy.resources import file
from inspecpy.resources.base import Resource
from inspecpy.resources.builtin.ssh_config import SshConfig
from inspecpy.resources.sshconf import SshConfigDocument
from inspecpy.resources.builtin.sshd_config import SshdConfig

#: sshd_config(5) defaults of OpenSSH 9.x (lower-case keywords).
SSHD_DEFAULTS = {
    "protocol": "2", "permitrootlogin": "prohibit-password", "passwordauthentication": "yes",
    "permitemptypasswords": "no", "hostbasedauthentication": "no", "ignorerhosts": "yes",
    "kbdinteractiveauthentication": "yes", "x11forwarding": "no", "allowagentforwarding": "yes",
    "allowtcpforwarding": "yes", "gatewayports": "no", "permittunnel": "no", "maxauthtries": "6",
    "logingracetime": "120", "clientaliveinterval": "0", "clientalivecountmax": "3", "maxsessions": "10",
    "banner": "none", "loglevel": "INFO", "usepam": "no", "permituserenvironment": "no", "strictmodes": "yes",
    "usedns": "no", "compression": "yes",
    "ciphers": "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,"
               "aes256-gcm@openssh.com",
    "macs": "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
            "hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,"
            "hmac-sha2-256,hmac-sha2-512,hmac-sha1",
    "kexalgorithms": "sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,curve25519-sha256,"
                     "curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,"
                     "diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,"
                     "diffie-hellman-group18-sha512,diffie-hellman-group14-sha256",
}

#: ssh_config(5) defaults that the client checks read.
SSH_DEFAULTS = {"protocol": "2", "forwardagent": "no", "forwardx11": "no", "forwardx11trusted": "no",
                "hostbasedauthentication": "no", "stricthostkeychecking": "ask", "permitlocalcommand": "no",
                "gatewayports": "no"}

#: Keywords whose value is a time (``90``, ``2m``, ``1h30m``), read as seconds.
TIME_KEYWORDS = frozenset({"logingracetime", "clientaliveinterval"})
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def seconds(value: str) -> int | str:
    """sshd's time format in seconds (``2m`` → 120); text that is not a time is returned unchanged."""
    import re

    parts = re.findall(r"(\d+)([smhdwSMHDW]?)", value or "")
    if not parts or "".join(n + u for n, u in parts) != value.strip():
        return value
    return sum(int(n) * _UNITS[u.lower()] for n, u in parts)


SSHD_PATHS = ("/usr/sbin/sshd", "/usr/bin/sshd", "/usr/local/sbin/sshd", "/sbin/sshd")


def sshd_installed() -> bool:
    """The SSH server is installed: its program or its configuration file exists."""
    return any(file(p).exists for p in SSHD_PATHS) or file("/etc/ssh/sshd_config").exists


def resolve_algorithms(value: str, default: str) -> list[str]:
    """An algorithm list with OpenSSH's ``+`` (append), ``-`` (remove) and ``^`` (prepend) forms."""
    base = default.split(",")
    if value.startswith("+"):
        return base + [a for a in value[1:].split(",") if a not in base]
    if value.startswith("-"):
        return [a for a in base if not any(fnmatch.fnmatchcase(a, p) for p in value[1:].split(","))]
    if value.startswith("^"):
        head = value[1:].split(",")
        return head + [a for a in base if a not in head]
    return value.split(",")


class SshdEffective(SshdConfig):
    """The server configuration as sshd applies it: the file's value, else OpenSSH's default.

    Python: ``describe(sshd_effective()).its("PermitRootLogin").should.cmp("no")``
    YAML:   ``- sshd_effective: null`` with ``its: {X11Forwarding: {cmp: "no"}}``
    """

    name = "sshd_effective"
    display_name = "SSHD Configuration (effective)"
    defaults = SSHD_DEFAULTS

    @property
    def document(self) -> SshConfigDocument:
        if not self.exists:
            raise ResourceSkipped(f"the SSH server is not installed here ({self.path} does not exist)")
        return super().document

    def get(self, keyword: str, default: Any = None) -> Any:
        value = super().get(keyword, self.defaults.get(keyword.lower(), default))
        return seconds(value) if keyword.lower() in TIME_KEYWORDS and isinstance(value, str) else value

    def algorithms(self, keyword: str) -> list[str]:
        value = super().get(keyword)
        default = self.defaults.get(keyword.lower(), "")
        return resolve_algorithms(value, default) if value else default.split(",")


class SshEffective(SshConfig):
    """The client configuration for every host: the file's value, else OpenSSH's default.

    Python: ``describe(ssh_effective()).its("ForwardAgent").should.cmp("no")``
    YAML:   ``- ssh_effective: null``
    """

    name = "ssh_effective"
    display_name = "SSH Configuration (effective)"

    @property
    def document(self) -> SshConfigDocument:
        if not self.exists:  # no file: every default applies
            return SshConfigDocument()
        return super().document

    def get(self, keyword: str, default: Any = None) -> Any:
        return super().get(keyword, SSH_DEFAULTS.get(keyword.lower(), default))


class SshdAlgorithms(Resource):
    """The algorithms sshd offers for ``Ciphers``, ``MACs`` or ``KexAlgorithms``.

    Python: ``describe(sshd_algorithms("Ciphers")).should.be_within(input("allowed_ciphers"))``
    YAML:   ``- sshd_algorithms: MACs`` with ``should: [{be_within: {input: allowed_macs}}]``
    """

    name = "sshd_algorithms"
    display_name = "SSHD"

    def __init__(self, keyword: str, path: str | None = None):
        super().__init__()
        self.keyword, self.path = keyword, path

    @property
    def resource_id(self) -> str:
        return self.keyword

    @property
    def offered(self) -> list[str]:
        return SshdEffective(self.path).algorithms(self.keyword)

    def within(self, allowed: list[str]) -> Verdict:
        """Every offered algorithm is in *allowed*; the reason names the others."""
        extra = [a for a in self.offered if a not in allowed]
        return Verdict(not extra, "not allowed: " + ", ".join(extra) if extra else "")
