"""The ``port`` resource: listening sockets, from ``ss`` or ``/proc/net``."""

from __future__ import annotations

import ipaddress
import re

from inspecpy.errors import ResourceSkipped, TargetError
from inspecpy.resources.base import probe
from inspecpy.resources.filtering import Column, FilterTable

PROC_NET = ("tcp", "tcp6", "udp", "udp6")
_USERS = re.compile(r'\("([^"]*)",pid=(\d+)')


def split_address(text: str) -> tuple[str, int]:
    """``[::]:22`` → ``("::", 22)``; ``127.0.0.53%lo:53`` → ``("127.0.0.53", 53)``; ``*`` → 0.0.0.0."""
    host, _, port = text.rpartition(":")
    host = host.strip("[]").split("%", 1)[0]
    return ("0.0.0.0" if host == "*" else host), int(port) if port.isdigit() else 0


def parse_ss(text: str) -> list[dict]:
    """``ss -tulpn`` output → rows (port, address, protocol, process, pid)."""
    rows = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 5 or fields[0] == "Netid" or fields[0] not in ("tcp", "udp"):
            continue
        address, port = split_address(fields[4])
        protocol = fields[0] + ("6" if ":" in address else "")
        owners = _USERS.findall(" ".join(fields[6:])) or [(None, None)]
        for process, pid in owners:
            rows.append({"port": port, "address": address, "protocol": protocol,
                         "process": process, "pid": int(pid) if pid else None})
    return rows


def _hex_address(text: str) -> str:
    """A /proc/net address (little-endian 32-bit words in hex) as ``ss`` prints it.

    An IPv4-mapped IPv6 address keeps its dotted quad, as ``ss`` shows it
    (``::ffff:127.0.0.1``, not Python 3.11's ``::ffff:7f00:1``):

    >>> _hex_address("0000000000000000FFFF00000100007F")
    '::ffff:127.0.0.1'
    >>> _hex_address("0100007F")
    '127.0.0.1'
    """
    raw = bytes.fromhex(text)
    words = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    address = ipaddress.ip_address(words)
    mapped = getattr(address, "ipv4_mapped", None)
    return f"::ffff:{mapped}" if mapped is not None else str(address)


def parse_proc_net(text: str, protocol: str) -> list[dict]:
    """``/proc/net/<protocol>`` → listening rows (TCP state 0A; UDP unconnected, 07)."""
    listening = "0A" if protocol.startswith("tcp") else "07"
    rows = []
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 4 or fields[3] != listening:
            continue
        host, _, port = fields[1].partition(":")
        rows.append({"port": int(port, 16), "address": _hex_address(host), "protocol": protocol,
                     "process": None, "pid": None})
    return rows


class Port(FilterTable):
    """Listening TCP/UDP sockets, all (``port()``) or on one port (``port(22)``, ``port("0.0.0.0", 22)``).

    Read with ``ss -tulpn``; where ``ss`` is missing, from ``/proc/net/tcp``,
    ``tcp6``, ``udp`` and ``udp6`` (then ``processes``/``pids`` are empty:
    ``source`` says which was used). Protocols are named as InSpec names
    them: ``tcp``, ``tcp6``, ``udp``, ``udp6``.

    Python::

        describe(port(22)).should.be_listening()
        describe(port(22)).its("protocols").should.include("tcp")
        describe(port(23)).should_not.be_listening()
        describe(port().where(lambda p: p.port < 1024)).its("processes").should.be_in(["sshd"])

    YAML::

        - port: 22
          should: [be_listening]
          its: {addresses: {include: 0.0.0.0}}
    """

    name = "port"
    supports = ("linux",)

    def __init__(self, *args: int | str):
        super().__init__()
        if len(args) > 2:
            raise TypeError("port() takes an optional address and a port number")
        self.address = str(args[0]) if len(args) == 2 else None
        self.number = int(args[-1]) if args else None

    @property
    def resource_id(self) -> str:
        if self.number is None:
            return ""
        return f"{self.address}:{self.number}" if self.address else str(self.number)

    def load_rows(self) -> list[dict]:
        rows = [r for r in self._sockets[1] if self.number is None or r["port"] == self.number]
        return [r for r in rows if self.address is None or r["address"] == self.address]

    @probe
    def _sockets(self) -> tuple[str, list[dict]]:
        """Where the sockets were read, and every listening socket."""
        result = self.target.run("ss -tulpn")
        if result.exit_status == 0:
            return "ss", parse_ss(result.stdout)
        rows, read = [], False
        for protocol in PROC_NET:
            try:
                rows += parse_proc_net(self.target.read_text(f"/proc/net/{protocol}"), protocol)
                read = True
            except TargetError:
                continue
        if not read:
            raise ResourceSkipped("port: neither `ss` nor /proc/net/tcp is available on the target")
        return "/proc/net", rows

    @property
    def source(self) -> str:
        """Where the sockets were read: ``ss`` or ``/proc/net``."""
        return self._sockets[0]

    @property
    def listening(self) -> bool:
        """``be_listening``: a socket listens on the port (and address, when given)."""
        return self.exists

    ports = Column("port", "Port numbers.", simple=True)
    addresses = Column("address", "Addresses listened on.", simple=True)
    protocols = Column("protocol", "tcp, tcp6, udp, udp6.", simple=True)
    processes = Column("process", "Process names (from ss).", simple=True)
    pids = Column("pid", "Process ids (from ss).", simple=True)
