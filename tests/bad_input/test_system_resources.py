"""Bad input for the system resources: broken or duplicated config, missing files,
unsupported platforms and missing tools. Each case asserts the exact outcome and
that the rest of the run is intact."""

from __future__ import annotations

import dataclasses
import json
import textwrap

import pytest

from inspecpy.profile.loader import load_profile
from inspecpy.run.runner import Selection, run_target
from inspecpy.targets.base import CommandResult
from inspecpy.targets.local import LocalTarget
from tests.conftest import run_cli


def run(profile_path, target=None):
    """Run a profile; control id → list of (status, message or skip message, exception)."""
    run = run_target([load_profile(str(profile_path))], target or LocalTarget("local://"), Selection())
    return {c.id: [(r.status, r.message or r.skip_message, r.exception) for r in c.results]
            for p in run.profiles for c in p.controls}


def controls(make_profile, body: str):
    """A profile whose one control file holds *body* (resources are in scope in control files)."""
    return make_profile(controls={"checks.py": "from inspecpy import control, describe\n" + textwrap.dedent(body)})


class WithoutTools(LocalTarget):
    """This machine, with some programs uninstalled: their commands exit 127 as sh reports."""

    def __init__(self, *missing: str):
        super().__init__("local://")
        self.missing = missing

    def _run(self, command, timeout):
        if command.split()[0] in self.missing:
            return CommandResult("", f"sh: 1: {command.split()[0]}: not found\n", 127)
        return super()._run(command, timeout)


class OnPlatform(LocalTarget):
    """This machine, claiming another platform (as a Windows or BSD target would)."""

    def __init__(self, **platform):
        super().__init__("local://")
        self._cache[("platform",)] = dataclasses.replace(LocalTarget("local://").platform, **platform)


# ----------------------------------------------------- broken or duplicated config
def test_sshd_config_with_syntax_errors_and_duplicates_reads_as_sshd(tmp_path, make_profile):
    config = tmp_path / "sshd_config"
    config.write_text("PermitRootLogin no\nPasswordAuthentication\nPERMITROOTLOGIN yes\n"
                      'Banner "/etc/issue\nMaxAuthTries 3\nMaxAuthTries 10\nPort 22\nPort 2222\n')
    profile = controls(make_profile, f"""
        @control("first-value-wins")
        def _():
            describe(sshd_config({str(config)!r})).its("PermitRootLogin").should.cmp("no")
            describe(sshd_config({str(config)!r})).its("MaxAuthTries").should.cmp(3)
            describe(sshd_config({str(config)!r})).its("Port").should.eq(["22", "2222"])

        @control("errors-listed")
        def _():
            describe(sshd_config({str(config)!r})).its("errors").should.be_empty()
        """)
    got = run(profile)
    assert [s for s, _, _ in got["first-value-wins"]] == ["passed", "passed", "passed"]
    [(status, message, exception)] = got["errors-listed"]
    assert status == "failed" and exception is None
    assert "PasswordAuthentication has no value (sshd refuses to start)" in message
    assert "unbalanced quote" in message


def test_other_config_files_with_garbage_lines(tmp_path, make_profile):
    (tmp_path / "limits.conf").write_text("* hard core 0\ngarbage\n* soft\n@admins - nofile 4096\n")
    (tmp_path / "fstab").write_text("/dev/sda1 /\n/dev/sda2 /home ext4 nodev\n#c\n\n")
    (tmp_path / "app.conf").write_text("= no key\nkey = one\nkey = two\n[section]\n")
    (tmp_path / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\nbroken-line\nsvc:x:abc:1::/:/bin/false\n")
    profile = controls(make_profile, f"""
        @control("garbage-skipped")
        def _():
            describe(limits_conf({str(tmp_path / 'limits.conf')!r})).its("*").should.eq([["hard", "core", "0"]])
            describe(etc_fstab({str(tmp_path / 'fstab')!r})).its("mount_points").should.eq(["/home"])
            describe(parse_config_file({str(tmp_path / 'app.conf')!r})).its("key").should.eq("two")
            describe(passwd({str(tmp_path / 'passwd')!r}).where(user="svc")).its("uids").should.eq(["abc"])
        """)
    assert [s for s, _, _ in run(profile)["garbage-skipped"]] == ["passed"] * 4


# ----------------------------------------------------------------- missing files
def test_missing_files_fail_plainly_and_the_run_goes_on(tmp_path, make_profile):
    missing = tmp_path / "nope"
    profile = controls(make_profile, f"""
        @control("missing")
        def _():
            describe(sshd_config({str(missing)!r})).its("PermitRootLogin").should.cmp("no")
            describe(sshd_config({str(missing)!r})).its("PermitRootLogin").should_not.cmp("yes")
            describe(login_defs({str(missing)!r})).its("PASS_MAX_DAYS").should.be_at_most(90)
            describe(etc_hosts({str(missing)!r})).its("ip_address").should.include("127.0.0.1")
            describe(x509_certificate({str(missing)!r})).its("validity_in_days").should.be_greater_than(0)

        @control("after")
        def _():
            describe(file("/")).should.be_directory()
        """)
    got = run(profile)
    assert got["missing"] == [("failed", f"no such file: {missing}", None)] * 5
    assert got["after"] == [("passed", None, None)]


def test_missing_file_through_the_command_line(tmp_path, make_profile):
    profile = controls(make_profile, """
        @control("missing")
        def _():
            describe(sshd_config("/nonexistent/sshd_config")).its("X11Forwarding").should.cmp("no")
        """)
    out = run_cli("exec", profile, "--reporter", f"json:{tmp_path / 'r.json'}", "--no-color")
    assert out.code == 100 and out.err == ""
    [result] = json.loads((tmp_path / "r.json").read_text())["profiles"][0]["controls"][0]["results"]
    assert result["status"] == "failed" and result["message"] == "no such file: /nonexistent/sshd_config"
    assert "exception" not in result


# ----------------------------------------------------------- unsupported platform
def test_linux_only_resources_skip_on_other_platforms(make_profile):
    profile = controls(make_profile, """
        @control("linux-only")
        def _():
            describe(kernel_parameter("net.ipv4.ip_forward")).its("value").should.eq(0)
            describe(kernel_module("cramfs")).should.be_disabled()
            describe(port(22)).should.be_listening()
            describe(apt("http://deb.debian.org/debian")).should.exist()

        @control("portable")
        def _():
            describe(file("/")).should.exist()
        """)
    got = run(profile, OnPlatform(name="freebsd", family="freebsd", release="14.0", families=("bsd", "unix", "os")))
    assert [(s, m) for s, m, _ in got["linux-only"]] == [
        ("skipped", f"Resource {name} is not supported on platform freebsd/14.0")
        for name in ("kernel_parameter", "kernel_module", "port", "apt")]
    assert got["portable"] == [("passed", None, None)]


def test_yum_on_debian_is_skipped_with_the_reason(make_profile):
    profile = controls(make_profile, """
        @control("yum")
        def _():
            describe(yum().repo("epel")).should.exist()
        """)
    [(status, message, _)] = run(profile, OnPlatform(name="debian", family="debian", release="12"))["yum"]
    assert status == "skipped" and message == "Resource yum is not supported on platform debian/12"


def test_no_service_manager_is_skipped_with_the_reason(make_profile, monkeypatch):
    profile = controls(make_profile, """
        @control("svc")
        def _():
            describe(service("ssh")).should.be_running()
        """)
    target = LocalTarget("local://")
    real_stat = target._stat
    monkeypatch.setattr(target, "_stat", lambda p: real_stat("/nonexistent") if p.startswith(
        ("/run/systemd", "/run/openrc", "/etc/init.d", "/etc/rc.d")) else real_stat(p))
    [(status, message, _)] = run(profile, target)["svc"]
    assert status == "skipped"
    assert message == "service ssh: no service manager found on the target (systemd, OpenRC or SysV init)"


# ------------------------------------------------------------- missing commands
def test_ss_missing_falls_back_to_proc_net_with_the_same_answer():
    """On sockets this test opens (other processes' ports come and go while it reads): IPv4, IPv6 and
    IPv4-mapped IPv6 addresses read the same from /proc/net as from ss."""
    import socket

    from inspecpy.resources.builtin.port import Port
    from inspecpy.targets import on_target

    sockets = []
    for family, address in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1"),
                            (socket.AF_INET6, "::ffff:127.0.0.1")):
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.bind((address, 0))
        sock.listen()
        sockets.append(sock)
    ours = {sock.getsockname()[1] for sock in sockets}
    try:
        with on_target(LocalTarget("local://")):
            expected = sorted((r["port"], r["address"], r["protocol"]) for r in Port().entries if r["port"] in ours)
        with on_target(WithoutTools("ss")):
            fallback = Port()
            got = sorted((r["port"], r["address"], r["protocol"]) for r in fallback.entries if r["port"] in ours)
            assert fallback.source == "/proc/net"
    finally:
        for sock in sockets:
            sock.close()
    assert got == expected and len(got) == 3
    assert any(address == "::ffff:127.0.0.1" for _, address, _ in got)


def test_ps_missing_falls_back_to_proc():
    import os

    from inspecpy.resources.builtin.processes import Processes
    from inspecpy.targets import on_target

    with on_target(WithoutTools("ps")):
        mine = Processes().where(pid=os.getpid())
        assert mine.count == 1 and "python" in mine.commands[0]


@pytest.mark.parametrize("tool, resource, message", [
    ("iptables", 'iptables()', "iptables: `iptables` is not installed on the target"),
    ("nft", 'nftables()', "nftables: `nft` is not installed on the target"),
    ("crontab", 'crontab("root")', "crontab: the crontab command is not installed on the target"),
])
def test_missing_tools_skip_with_a_clear_message(make_profile, tool, resource, message):
    profile = controls(make_profile, f"""
        @control("tool")
        def _():
            describe({resource}).its("{'commands' if tool == 'crontab' else 'rules'}").should.be_empty()
        """)
    [(status, got, exception)] = run(profile, WithoutTools(tool))["tool"]
    assert (status, got, exception) == ("skipped", message, None)
