"""known_hosts files, read once per content and indexed by host name.

A fleet connects to many hosts with one known_hosts file. paramiko's
``HostKeys.load`` compares each new line with every line before it (quadratic:
27 s of CPU for a 10,000-line file here) and its ``lookup`` scans every entry,
and loading once per connection made a fleet of N hosts pay that N times. Here
each line is parsed once (with paramiko's own ``HostKeyEntry.from_line``, so
the same lines are understood), plain host names go into a dict, hashed ones
(``|1|salt|hash``) into a list checked by HMAC, and the parsed files are kept
while their content stays the same::

    known = known_hosts(["~/.ssh/known_hosts", "/etc/ssh/ssh_known_hosts"])
    known.lookup("[db1]:2222")     # {'ssh-ed25519': <Ed25519Key>} or None
"""

from __future__ import annotations

import hashlib
import os
import threading
from typing import TYPE_CHECKING, Iterable

from inspecpy.errors import TargetError

if TYPE_CHECKING:  # pragma: no cover
    from paramiko import PKey

_lock = threading.Lock()
_parsed: dict[tuple, "KnownHosts"] = {}   # the last files read, by path and content digest


class KnownHosts:
    """Host keys by host name (a read-only index; threads share it)."""

    def __init__(self) -> None:
        self._plain: dict[str, dict[str, PKey]] = {}
        self._hashed: list[tuple[str, PKey]] = []

    def add_lines(self, lines: Iterable[str]) -> None:
        """Add known_hosts lines; as in paramiko (and OpenSSH), the first key of a type for a host counts."""
        from paramiko.hostkeys import HostKeyEntry, InvalidHostKey
        from paramiko.ssh_exception import SSHException

        for number, line in enumerate(lines, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                entry = HostKeyEntry.from_line(line, number)
            except (SSHException, InvalidHostKey):  # OpenSSH skips a line it cannot read; so do we
                continue
            if entry is None or entry.key is None:
                continue
            for name in entry.hostnames:
                if name.startswith("|1|"):
                    self._hashed.append((name, entry.key))
                else:
                    self._plain.setdefault(name, {}).setdefault(entry.key.get_name(), entry.key)

    def lookup(self, name: str) -> "dict[str, PKey] | None":
        """The keys known for *name* (``host`` or ``[host]:port``) by key type, or None."""
        from paramiko import HostKeys

        found = dict(self._plain.get(name, {}))
        for hashed, key in self._hashed:
            if key.get_name() not in found and HostKeys.hash_host(name, hashed) == hashed:
                found[key.get_name()] = key
        return found or None


def known_hosts(paths: Iterable[str]) -> KnownHosts:
    """The host keys of the files among *paths* that exist, parsed once per content of those files."""
    contents = []
    for path in paths:
        path = os.path.expanduser(path)
        if os.path.isfile(path):
            try:
                with open(path, "rb") as handle:
                    contents.append((path, handle.read()))
            except OSError as error:
                raise TargetError(f"cannot read known_hosts file {path}: {error.strerror}") from None
    key = tuple((path, hashlib.sha256(data).digest()) for path, data in contents)
    with _lock:  # the first target parses, the others wait for its answer
        known = _parsed.get(key)
        if known is None:
            known = KnownHosts()
            for _, data in contents:
                known.add_lines(data.decode("utf-8", "replace").splitlines())
            _parsed.clear()
            _parsed[key] = known
    return known
