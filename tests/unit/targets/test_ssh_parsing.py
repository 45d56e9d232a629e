"""The SSH target's pure parts: URIs, ProxyJump hops, sudo prefixes, redaction (no server needed)."""

import pytest

from inspecpy.errors import TargetError, UsageError
from inspecpy.targets import redact_uri
from inspecpy.targets.base import TargetOptions, quote_command
from inspecpy.targets.ssh.target import SshTarget, parse_ssh_uri
from inspecpy.targets.ssh.connect import HostSpec, parse_hop
from inspecpy.targets.framed_shell import KILL_LINE, RUN_LINE
from inspecpy.targets.ssh.channels import Sudo


@pytest.mark.parametrize("uri, host, user, port, password, name", [
    ("ssh://db1", "db1", None, None, None, "ssh://db1"),
    ("ssh://admin@db1:2222", "db1", "admin", 2222, None, "ssh://admin@db1:2222"),
    ("ssh://admin:s3cr%40t@db1", "db1", "admin", None, "s3cr@t", "ssh://admin@db1"),
    ("ssh://me@[::1]:22", "::1", "me", 22, None, "ssh://me@[::1]:22"),
])
def test_parse_ssh_uri(uri, host, user, port, password, name):
    spec, secret, shown = parse_ssh_uri(uri)
    assert (spec.host, spec.user, spec.port, secret, shown) == (host, user, port, password, name)


@pytest.mark.parametrize("uri", ["ssh://", "ssh://host/path", "ssh://u:pw@host:99999", "ssh://h?x=1"])
def test_bad_uris_are_usage_errors_without_the_password(uri):
    with pytest.raises(UsageError) as caught:
        parse_ssh_uri(uri)
    assert "pw" not in str(caught.value)


def test_target_name_never_holds_the_password():
    target = SshTarget("ssh://admin:hunter2@db1:22", TargetOptions())
    assert target.name == "ssh://admin@db1:22"
    assert target.options.password == "hunter2"
    assert "hunter2" not in repr(target.options)


def test_redact_uri():
    assert redact_uri("ssh://a:b@c:1") == "ssh://a@c:1"
    assert redact_uri("ssh://a@c") == "ssh://a@c"
    assert redact_uri("local://") == "local://"


@pytest.mark.parametrize("text, spec", [
    ("bastion", HostSpec("bastion")),
    ("admin@bastion:2222", HostSpec("bastion", "admin", 2222)),
    ("ssh://me@[fe80::1]:22", HostSpec("fe80::1", "me", 22)),
])
def test_parse_hop(text, spec):
    assert parse_hop(text) == spec


def test_parse_hop_rejects_a_bad_port():
    with pytest.raises(TargetError, match="port must be a number"):
        parse_hop("host:ssh")


def test_known_hosts_name_is_bracketed_off_port_22():
    assert HostSpec("db1", port=22).known_hosts_name == "db1"
    assert HostSpec("db1", port=2222).known_hosts_name == "[db1]:2222"


def test_sudo_prefix_quotes_the_options():
    assert Sudo("-u postgres; rm").prefix("P") == "sudo -n -u 'postgres;' rm --"
    assert Sudo("-H", password="pw").prefix("TOKEN:PROMPT") == "sudo -S -p TOKEN:PROMPT -H --"


def test_run_line_passes_the_command_as_one_quoted_word():
    line = quote_command(RUN_LINE, "echo 'a' $(id) `x`; exit 3", "T:1:")
    assert line.startswith("wait; { ( eval 'echo '\"'\"'a'\"'\"' $(id) `x`; exit 3' ) </dev/null;")
    assert line.endswith("& __inspecpy_pid=$!\n") and line.count("\n") == 1
    assert "SYNC" in quote_command(KILL_LINE, "SYNC")


def test_proxy_command_tokens_as_openssh():
    from inspecpy.targets.ssh.connect import expand_proxy_command

    spec = HostSpec("10.0.0.5", "admin", 2222)
    assert expand_proxy_command("ssh -W %h:%p -l %r gw # %n 100%%", spec, "db1") == \
        "ssh -W 10.0.0.5:2222 -l admin gw # db1 100%"
    with pytest.raises(TargetError, match=r"unknown token %x"):
        expand_proxy_command("nc %x", spec, "db1")
    with pytest.raises(TargetError, match=r"refusing to put %r='a;b'"):
        expand_proxy_command("nc %h %p %r", HostSpec("h", "a;b", 22), "h")
