"""What ``iptables`` and ``nftables`` share: run a listing tool, skip clearly where it is absent."""

from __future__ import annotations

from inspecpy.errors import ResourceSkipped, TargetError
from inspecpy.resources.base import Resource


class FirewallRules(Resource):
    """Base: ``rules`` are the lines a listing command prints; ``has_rule`` looks one up."""

    tool = ""

    def listing(self, template: str, *args: str) -> str:
        """Run the listing; a missing tool skips, a refusal (not root) is an error."""
        result = self.target.run(template, *args)
        if result.exit_status == 127 or (result.exit_status != 0 and "not found" in result.stderr):
            raise ResourceSkipped(f"{self.name}: `{self.tool}` is not installed on the target")
        if result.exit_status != 0:
            raise TargetError(f"{self.name}: `{self.tool}` failed: {result.stderr.strip() or result.exit_status}")
        return result.stdout

    @property
    def rules(self) -> list[str]:
        raise NotImplementedError

    def has_rule(self, rule: str) -> bool:
        """``be_having_rule``/``its("rules").should.include(...)``: an exact rule line (spaces normalised)."""
        wanted = " ".join(rule.split())
        return any(" ".join(r.split()) == wanted for r in self.rules)

    having_rule = has_rule
