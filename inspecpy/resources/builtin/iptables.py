"""The ``iptables`` resource: the rules ``iptables -S`` prints."""

from __future__ import annotations

from functools import cached_property

from inspecpy.resources.firewall import FirewallRules


def parse_iptables_save(text: str) -> list[str]:
    """``iptables -S`` lines (``-P INPUT DROP``, ``-A INPUT -i lo -j ACCEPT``)."""
    return [line.strip() for line in text.splitlines() if line.strip().startswith(("-P", "-N", "-A"))]


class Iptables(FirewallRules):
    """IPv4 (or ``ipv6=True``: ip6tables) rules of a table, optionally one chain.

    Skipped with a clear message where the tool is not installed; an error
    where it cannot list (not root).

    Python::

        describe(iptables()).its("rules").should.include("-P INPUT DROP")
        describe(iptables(chain="INPUT")).should.be_having_rule("-A INPUT -i lo -j ACCEPT")

    YAML::

        - iptables: {table: filter, chain: INPUT}
          its: {rules: {include: "-P INPUT DROP"}}
    """

    name = "iptables"
    supports = ("linux",)

    def __init__(self, table: str = "filter", chain: str | None = None, ipv6: bool = False):
        super().__init__()
        self.table, self.chain = table, chain
        self.tool = "ip6tables" if ipv6 else "iptables"

    @property
    def resource_id(self) -> str:
        return f"{self.table} {self.chain}" if self.chain else self.table

    @cached_property
    def rules(self) -> list[str]:
        if self.chain:
            text = self.listing(self.tool + " -t {} -S {}", self.table, self.chain)
        else:
            text = self.listing(self.tool + " -t {} -S", self.table)
        return parse_iptables_save(text)

    @property
    def policies(self) -> dict[str, str]:
        """Chain → default policy (``{"INPUT": "DROP"}``)."""
        return {r.split()[1]: r.split()[2] for r in self.rules if r.startswith("-P") and len(r.split()) >= 3}
