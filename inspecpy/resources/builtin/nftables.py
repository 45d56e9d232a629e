"""The ``nftables`` resource: the ruleset ``nft list`` prints."""

from __future__ import annotations

import re
from functools import cached_property

from inspecpy.resources.firewall import FirewallRules

_STRUCTURE = re.compile(r"^(table|chain|set|map|flowtable|type|policy|elements|flags|counter$|\}|comment)")


def parse_nft_ruleset(text: str) -> dict:
    """``nft list ruleset`` → tables, chains (``family table chain``), policies and rule lines."""
    tables, chains, rules, policies = [], [], [], {}
    table = chain = None
    for raw in text.splitlines():
        line = raw.strip()
        found = re.match(r"^table (\S+) (\S+) \{", line)
        if found:
            table, chain = f"{found.group(1)} {found.group(2)}", None
            tables.append(table)
            continue
        found = re.match(r"^chain (\S+) \{", line)
        if found and table:
            chain = f"{table} {found.group(1)}"
            chains.append(chain)
            continue
        found = re.search(r"\bpolicy (\w+);", line)
        if found and chain:
            policies[chain] = found.group(1)
        if line and chain and not _STRUCTURE.match(line):
            rules.append(line)
    return {"tables": tables, "chains": chains, "rules": rules, "policies": policies}


class Nftables(FirewallRules):
    """The nftables ruleset, optionally of one table or chain.

    Skipped with a clear message where ``nft`` is not installed.

    Python::

        describe(nftables()).its("tables").should.include("inet filter")
        describe(nftables(family="inet", table="filter", chain="input")).its("policies").should.include({"inet filter input": "drop"})
        describe(nftables()).should.be_having_rule('iif "lo" accept')

    YAML::

        - nftables: {family: inet, table: filter, chain: input}
          its: {rules: {include: "ct state established,related accept"}}
    """

    name = "nftables"
    supports = ("linux",)
    tool = "nft"

    def __init__(self, family: str = "inet", table: str | None = None, chain: str | None = None):
        super().__init__()
        self.family, self.table, self.chain = family, table, chain

    @property
    def resource_id(self) -> str:
        return " ".join(p for p in (self.family if self.table else "", self.table, self.chain) if p)

    @cached_property
    def ruleset(self) -> dict:
        if self.table and self.chain:
            text = self.listing("nft list chain {} {} {}", self.family, self.table, self.chain)
        elif self.table:
            text = self.listing("nft list table {} {}", self.family, self.table)
        else:
            text = self.listing("nft list ruleset")
        return parse_nft_ruleset(text)

    @property
    def tables(self) -> list[str]:
        return self.ruleset["tables"]

    @property
    def chains(self) -> list[str]:
        return self.ruleset["chains"]

    @property
    def policies(self) -> dict[str, str]:
        return self.ruleset["policies"]

    @property
    def rules(self) -> list[str]:
        return self.ruleset["rules"]
