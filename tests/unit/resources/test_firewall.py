"""iptables and nftables from recorded listings; skipped where the tools are missing."""

from __future__ import annotations

from inspecpy import describe
from inspecpy.resources.builtin.iptables import Iptables
from inspecpy.resources.builtin.nftables import Nftables, parse_nft_ruleset

IPTABLES_S = "-P INPUT DROP\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n-N LOGDROP\n-A INPUT -i lo -j ACCEPT\n" \
             "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"
RULESET = """\
table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		iif "lo" accept
		tcp dport 22 accept
	}
	chain output {
		type filter hook output priority filter; policy accept;
	}
}
table ip nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth0" masquerade
	}
}
"""


def test_iptables_rules_and_policies(replay):
    replay({"commands": {"iptables -t filter -S": IPTABLES_S, "iptables -t filter -S INPUT": IPTABLES_S}})
    rules = Iptables()
    assert rules.policies == {"INPUT": "DROP", "FORWARD": "DROP", "OUTPUT": "ACCEPT"}
    assert describe(rules).its("rules").should.include("-A INPUT -i lo -j ACCEPT").status == "passed"
    assert describe(Iptables(chain="INPUT")).should.be_having_rule("-A INPUT  -p tcp -m tcp --dport 22 -j ACCEPT").status == "passed"
    assert not Iptables().has_rule("-A INPUT -p tcp --dport 23 -j ACCEPT")


def test_iptables_not_installed_is_a_skip(replay):
    replay({})
    result = describe(Iptables()).its("rules").should.include("-P INPUT DROP")
    assert result.status == "skipped" and result.skip_message == "iptables: `iptables` is not installed on the target"


def test_iptables_not_root_is_an_error(replay):
    replay({"commands": {"iptables -t filter -S": {"stderr": "iptables v1.8.9 (nf_tables): Permission denied (you must be root)\n",
                                                     "exit_status": 4}}})
    result = describe(Iptables()).its("rules").should.include("-P INPUT DROP")
    assert result.status == "failed" and "Permission denied" in result.message


def test_nft_ruleset_parsing():
    parsed = parse_nft_ruleset(RULESET)
    assert parsed["tables"] == ["inet filter", "ip nat"]
    assert parsed["chains"] == ["inet filter input", "inet filter output", "ip nat postrouting"]
    assert parsed["policies"]["inet filter input"] == "drop"
    assert parsed["rules"] == ["ct state established,related accept", 'iif "lo" accept', "tcp dport 22 accept",
                               'oifname "eth0" masquerade']


def test_nftables_resource(replay):
    replay({"commands": {"nft list ruleset": RULESET}})
    assert describe(Nftables()).should.be_having_rule('iif "lo" accept').status == "passed"
    assert Nftables().policies["inet filter input"] == "drop"


def test_nftables_not_installed_is_a_skip(replay):
    replay({})
    result = describe(Nftables()).its("tables").should.include("inet filter")
    assert result.status == "skipped" and "`nft` is not installed" in result.skip_message
