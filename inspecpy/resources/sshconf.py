"""Pure parsing of OpenSSH configuration files (``sshd_config`` and ``ssh_config``).

OpenSSH reads its configuration differently from most daemons, and the
parser follows it rather than the usual "last value wins":

* keywords are case-insensitive (``permitrootlogin`` is ``PermitRootLogin``);
* **the first value wins**: for an ordinary keyword, a later line that sets
  it again is ignored by sshd/ssh. That is why Debian's ``Include
  /etc/ssh/sshd_config.d/*.conf`` sits at the top of ``sshd_config``: the
  included files override what follows. A few keywords accumulate instead
  (``Port``, ``ListenAddress``, ``HostKey``, ``AcceptEnv``, ``AllowUsers``…);
* a ``Match`` (sshd) or ``Host``/``Match`` (ssh) line starts a block that
  runs to the next one; global settings are those before the first block;
* ``Keyword=value`` is accepted as ``Keyword value``; the words of a value
  are joined by one space (``Subsystem sftp<TAB>/usr/lib/…`` reads ``sftp
  /usr/lib/…``), a value in double quotes keeps its spaces; text from an
  unquoted ``#`` that starts a word is a comment (OpenSSH ≥ 8.7);
* a keyword without a value is an error sshd would refuse to start with:
  it is kept in ``errors`` and the line is otherwise ignored.

>>> doc = parse_ssh_config("PermitRootLogin no\\npermitrootlogin yes\\nMatch User bob\\n  X11Forwarding yes\\n")
>>> doc.first("PermitRootLogin"), doc.blocks[0].criteria, doc.blocks[0].first("x11forwarding")
('no', 'User bob', 'yes')
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from dataclasses import dataclass, field
from typing import Callable

#: Keywords whose every occurrence counts (lower case), in sshd and ssh.
ACCUMULATING = frozenset({
    "port", "listenaddress", "hostkey", "hostcertificate", "acceptenv", "setenv", "sendenv",
    "allowusers", "denyusers", "allowgroups", "denygroups", "subsystem", "include",
    "identityfile", "certificatefile", "localforward", "remoteforward", "dynamicforward",
    "permitopen", "permitlisten", "channeltimeout",
})

_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]*)\s*(?:=\s*|\s+|$)(.*)$")


class KeywordDict(dict):
    """A dict whose lookups ignore case, as OpenSSH keywords do (``d.get("permitrootlogin")``)."""

    def get(self, key, default=None):
        for name, value in self.items():
            if str(name).lower() == str(key).lower():
                return value
        return default


@dataclass
class Setting:
    """One ``Keyword value`` line as written (``key`` is the keyword in lower case)."""

    keyword: str
    value: str
    line: int
    source: str = ""

    @property
    def key(self) -> str:
        return self.keyword.lower()


@dataclass
class Block:
    """A ``Match``/``Host`` block: its kind, criteria and settings in order."""

    kind: str
    criteria: str
    line: int
    settings: list[Setting] = field(default_factory=list)

    def first(self, keyword: str) -> str | list[str] | None:
        return first_value(self.settings, keyword)

    @property
    def params(self) -> dict:
        return to_params(self.settings)


@dataclass
class SshConfigDocument:
    """A parsed file: global settings, blocks, and the lines sshd would reject."""

    settings: list[Setting] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def first(self, keyword: str) -> str | list[str] | None:
        return first_value(self.settings, keyword)


def first_value(settings: list[Setting], keyword: str) -> str | list[str] | None:
    """The value OpenSSH uses: the first occurrence's; every one (a list) for an accumulating keyword."""
    key = keyword.lower()
    found = [s.value for s in settings if s.key == key]
    if not found:
        return None
    return found if key in ACCUMULATING and len(found) > 1 else found[0]


def to_params(settings: list[Setting]) -> dict[str, list[str]]:
    """Keyword (as first written) → every value in file order (lookups with ``get`` ignore case)."""
    params: dict[str, list[str]] = KeywordDict()
    names: dict[str, str] = {}
    for setting in settings:
        name = names.setdefault(setting.key, setting.keyword)
        params.setdefault(name, []).append(setting.value)
    return params


def _strip_comment_and_quotes(value: str) -> str:
    """The words of a value as sshd splits them, joined by one space (``sftp<TAB>/usr/lib/…`` reads
    ``sftp /usr/lib/…``); quotes removed, blanks inside them kept; a ``#`` starting a word ends it."""
    out: list[str] = []
    quoted = False
    for i, ch in enumerate(value):
        if ch == '"':
            quoted = not quoted
            continue
        if ch == "#" and not quoted and (i == 0 or value[i - 1].isspace()):
            break
        if ch.isspace() and not quoted:
            if out and out[-1] != " ":
                out.append(" ")
            continue
        out.append(ch)
    return "".join(out).strip()


def parse_ssh_config(text: str, source: str = "", block_keywords: tuple[str, ...] = ("match",),
                     include: Callable[[str], list[tuple[str, str]]] | None = None,
                     _doc: SshConfigDocument | None = None, _block: Block | None = None,
                     _depth: int = 0) -> SshConfigDocument:
    """Parse *text*; ``include(pattern)`` returns ``[(path, text)]`` for an ``Include`` line.

    *block_keywords* is ``("match",)`` for sshd and ``("host", "match")`` for ssh.
    """
    doc = _doc or SshConfigDocument()
    block = _block
    where = f"{source}:" if source else "line "
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        found = _LINE.match(raw)
        if not found:
            doc.errors.append(f"{where}{number}: cannot parse {stripped!r}")
            continue
        keyword, value = found.group(1), _strip_comment_and_quotes(found.group(2))
        if raw.count('"') % 2:
            doc.errors.append(f"{where}{number}: unbalanced quote in {stripped!r}")
            continue
        if not value:
            doc.errors.append(f"{where}{number}: {keyword} has no value (sshd refuses to start)")
            continue
        if keyword.lower() in block_keywords:
            block = Block(keyword, value, number)
            doc.blocks.append(block)
            continue
        if keyword.lower() == "include" and include is not None and _depth < 16:
            for path, included in include(value):
                parse_ssh_config(included, path, block_keywords, include, doc, block, _depth + 1)
            continue
        setting = Setting(keyword, value, number, source)
        (block.settings if block else doc.settings).append(setting)
    return doc


def include_paths(pattern_words: str, base_dir: str, listdir: Callable[[str], list[str]]) -> list[str]:
    """The files an ``Include`` line names: globs in the last path part, sorted as glob(3) sorts.

    Relative paths are under *base_dir* (``/etc/ssh``), as sshd resolves them.
    """
    paths: list[str] = []
    for word in pattern_words.split():
        path = word if word.startswith("/") else posixpath.join(base_dir, word)
        folder, name = posixpath.split(path)
        if not any(c in name for c in "*?["):
            paths.append(path)
            continue
        try:
            names = listdir(folder)
        except Exception:  # a missing include folder is not an error for sshd
            continue
        paths.extend(posixpath.join(folder, n) for n in sorted(names) if fnmatch.fnmatchcase(n, name))
    return paths
