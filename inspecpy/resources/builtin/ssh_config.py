"""The ``ssh_config`` resource: the SSH client's configuration."""

from __future__ import annotations

from typing import Any

from inspecpy.resources.sshconf import first_value
from inspecpy.resources.builtin.sshd_config import SshdConfig


class SshConfig(SshdConfig):
    """``/etc/ssh/ssh_config`` with ``Include``, ``Host`` and ``Match`` blocks.

    As in ssh, **the first value wins** and keywords are case-insensitive.
    A keyword reads the value that applies to *every* host: the first one
    set before any block or inside a ``Host *`` block, in file order.
    ``blocks`` lists all blocks (``Host github.com`` …) for finer checks.

    Python::

        describe(ssh_config()).its("ForwardAgent").should_not.cmp("yes")
        describe(ssh_config()).its("StrictHostKeyChecking").should_not.cmp("no")

    YAML::

        - ssh_config: null
          its: {HashKnownHosts: {cmp: "yes"}}
    """

    name = "ssh_config"
    display_name = "SSH Configuration"
    default_path = "/etc/ssh/ssh_config"
    block_keywords = ("host", "match")

    def get(self, keyword: str, default: Any = None) -> Any:
        settings = list(self.document.settings)
        for block in self.document.blocks:
            if block.kind.lower() == "host" and "*" in block.criteria.split():
                settings.extend(block.settings)
        value = first_value(settings, keyword)
        return default if value is None else value

    @property
    def blocks(self):
        """Every ``Host``/``Match`` block in order."""
        return list(self.document.blocks)
