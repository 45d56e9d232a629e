"""The ``sshd_config`` resource: the SSH server's configuration, read as sshd reads it."""

from __future__ import annotations

import posixpath
from typing import Any

from inspecpy.errors import ResourceFailed
from inspecpy.resources.base import probe
from inspecpy.resources.config import ConfigResource
from inspecpy.resources.sshconf import (Block, KeywordDict, SshConfigDocument, first_value, include_paths, parse_ssh_config,
                       to_params)


class SshdConfig(ConfigResource):
    """``/etc/ssh/sshd_config`` with its ``Include`` files and ``Match`` blocks.

    Keywords are case-insensitive and, as in sshd, **the first value wins**:
    ``PermitRootLogin no`` followed by ``PermitRootLogin yes`` reads ``no``
    (most config files work the other way round). Accumulating keywords
    (``Port``, ``HostKey``, ``AllowUsers``…) give a list when repeated.
    Global settings are those before the first ``Match``; ``match_blocks``
    holds the rest. A keyword not set reads ``None`` (sshd's built-in
    default applies). See :mod:`inspecpy.resources.sshconf`.

    Python::

        describe(sshd_config()).its("PermitRootLogin").should.cmp("no")
        describe(sshd_config()).its("Ciphers").should_not.match("cbc")
        describe(sshd_config().match_block("User backup")).its("X11Forwarding").should.cmp("no")

    YAML::

        - sshd_config: null
          its: {PasswordAuthentication: {cmp: "no"}, MaxAuthTries: {be_at_most: 4}}
    """

    name = "sshd_config"
    display_name = "SSHD Configuration"
    default_path = "/etc/ssh/sshd_config"
    block_keywords: tuple[str, ...] = ("match",)

    @property
    def resource_id(self) -> str:
        return "" if self.path == self.default_path else self.path

    @probe
    def document(self) -> SshConfigDocument:
        """The parsed file: global ``settings``, ``blocks`` and ``errors``."""
        if not self.target.stat(self.path).exists:
            raise ResourceFailed(f"no such file: {self.path}")
        return parse_ssh_config(self.content, self.path, self.block_keywords, self._include)

    @probe
    def params(self) -> dict:
        """The global settings as a mapping (the first value of each keyword)."""
        return to_params(self.document.settings)

    def _include(self, words: str) -> list[tuple[str, str]]:
        """Read the files an ``Include`` names (relative to ``/etc/ssh``, globs sorted)."""
        files = []
        for path in include_paths(words, posixpath.dirname(self.default_path), self.target.listdir):
            if self.target.stat(path).exists:
                files.append((path, self.target.read_text(path)))
        return files

    def get(self, keyword: str, default: Any = None) -> Any:
        """The global value sshd uses for *keyword*, or *default* when it is not set."""
        value = first_value(self.document.settings, keyword)
        return default if value is None else value

    @property
    def errors(self) -> list[str]:
        """Lines sshd would reject (a keyword with no value, an unbalanced quote)."""
        return list(self.document.errors)

    @property
    def match_blocks(self) -> list[Block]:
        """The ``Match`` blocks in order (``criteria``, ``params``, ``first(keyword)``)."""
        return [b for b in self.document.blocks if b.kind.lower() == "match"]

    def match_block(self, criteria: str) -> dict:
        """The settings of the first block whose criteria equal *criteria* (case-insensitive)."""
        for block in self.document.blocks:
            if " ".join(block.criteria.split()).lower() == " ".join(criteria.split()).lower():
                return {s.keyword: block.first(s.keyword) for s in block.settings}
        return {}

    def blocks_setting(self, keyword: str) -> list[str | list[str]]:
        """Every value a block sets for *keyword* (e.g. a ``Match`` that re-enables passwords)."""
        return [v for b in self.document.blocks for v in [b.first(keyword)] if v is not None]

    @property
    def match_settings(self) -> KeywordDict:
        """Keyword → the values the blocks set (``its(["match_settings", "PermitRootLogin"])``)."""
        values = KeywordDict()
        for block in self.document.blocks:
            for setting in block.settings:
                key = next((k for k in values if k.lower() == setting.key), setting.keyword)
                values.setdefault(key, []).append(block.first(setting.keyword))
        return values

    def value_of(self, key: str) -> Any:
        """``its(KEYWORD)``: the global value sshd uses (case-insensitive), ``None`` when unset."""
        return self.get(key)
