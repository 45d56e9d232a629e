"""parse_config / parse_config_file: separators, comments, repeated keys."""

from __future__ import annotations

from inspecpy import describe
from inspecpy.resources.builtin.parse_config import ParseConfig, parse_config_text
from inspecpy.resources.builtin.parse_config_file import ParseConfigFile

AUDITD = "# auditd.conf\nlog_file = /var/log/audit/audit.log\nmax_log_file_action = keep_logs # keep\nspace_left_action=email\n"


def test_default_is_inspec_key_equals_value_with_inline_comments():
    assert parse_config_text(AUDITD) == {"log_file": "/var/log/audit/audit.log",
                                         "max_log_file_action": "keep_logs", "space_left_action": "email"}


def test_standalone_comments_keep_hashes_in_values():
    assert parse_config_text("url = http://x/#frag\n", standalone_comments=True) == {"url": "http://x/#frag"}
    assert parse_config_text("url = http://x/#frag\n") == {"url": "http://x/"}


def test_separators_and_repeated_keys():
    assert parse_config_text("user: app\nport:80\n", separator=":") == {"user": "app", "port": "80"}
    ntp = "server a.pool iburst\nserver b.pool\n; semi\n"
    assert parse_config_text(ntp, separator=" ", multiple_values=True, comment_char=";") == {
        "server": ["a.pool iburst", "b.pool"]}
    assert parse_config_text("a=1\na=2\n") == {"a": "2"}  # later wins unless multiple_values


def test_custom_assignment_regex_with_several_values():
    text = "alias web = nginx restart\n"
    assert parse_config_text(text, assignment_regex=r"^alias (\S+) = (\S+) (\S+)$", key_values=2) == {
        "web": ["nginx", "restart"]}


def test_parse_config_file_resource(replay):
    replay({"files": {"/etc/audit/auditd.conf": AUDITD, "/etc/sysctl.conf": "net.ipv4.ip_forward = 0\n"}})
    config = ParseConfigFile("/etc/audit/auditd.conf")
    assert config.value("space_left_action") == "email"
    assert describe(config).its("max_log_file_action").should.cmp("KEEP_LOGS").status == "passed"
    assert describe(ParseConfigFile("/etc/sysctl.conf")).its(["net.ipv4.ip_forward"]).should.cmp(0).status == "passed"
    assert ParseConfigFile("/etc/sysctl.conf").value("net.ipv4.ip_forward") == "0"


def test_missing_file_is_a_plain_failure(replay):
    replay({})
    result = describe(ParseConfigFile("/etc/none.conf")).its("key").should.eq("x")
    assert result.status == "failed" and result.message == "no such file: /etc/none.conf"
    assert result.exception is None


def test_parse_config_from_text():
    assert ParseConfig("port = 80\n").value("port") == "80"
    assert ParseConfig("a: 1", separator=":").params == {"a": "1"}
