"""The core resources: file, directory, command, user, group, package, login_defs, json/yaml/ini, os_env, platform."""

from __future__ import annotations

import os

import pytest

from inspecpy import describe
from inspecpy.resources.builtin.command import Command
from inspecpy.resources.builtin.directory import Directory
from inspecpy.resources.builtin.file import File
from inspecpy.resources.builtin.group import Group
from inspecpy.resources.builtin.ini import Ini
from inspecpy.resources.builtin.json import Json
from inspecpy.resources.builtin.login_defs import LoginDefs
from inspecpy.resources.builtin.os_env import OsEnv
from inspecpy.resources.builtin.package import Package, parse_apk, parse_dpkg, parse_rpm
from inspecpy.resources.builtin.platform import Os, Platform
from inspecpy.resources.builtin.user import User
from inspecpy.resources.builtin.yaml import Yaml

PASSWD = "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice:/home/alice:/bin/zsh\n"
GROUP = "root:x:0:\nshadow:x:42:\nsudo:x:27:alice\nalice:x:1000:\n"


# ------------------------------------------------------------------ file
def test_file_attributes_from_a_recording(replay):
    replay({"files": {"/etc/shadow": {"content": "root:!:1::::::\n", "mode": "0640", "uid": 0, "gid": 42},
                      "/etc/passwd": PASSWD, "/etc/group": GROUP,
                      "/usr/bin/sudo": {"content": "", "mode": "4755"},
                      "/etc/localtime": {"type": "symlink", "link_path": "/usr/share/zoneinfo/UTC",
                                         "target_type": "file", "mode": "0777"}}})
    shadow = File("/etc/shadow")
    assert (shadow.owner, shadow.group, shadow.mode) == ("root", "shadow", 0o640)
    assert shadow.readable_by("group") and not shadow.readable_by("other")
    assert describe(shadow).its("mode").should.cmp("0640").status == "passed"
    failed = describe(shadow).should_not.be_more_permissive_than("0600")
    assert failed.status == "failed" and "mode is 0640 (0040 beyond 0600)" in failed.message
    assert File("/usr/bin/sudo").setuid and not File("/usr/bin/sudo").sticky
    link = File("/etc/localtime")
    assert link.is_symlink and link.is_file and link.link_path == "/usr/share/zoneinfo/UTC"
    assert not File("/nope").exists and File("/nope").content is None


def test_file_bad_argument_to_readable_by(replay):
    replay({"files": {"/x": "a"}})
    result = describe(File("/x")).should.be_readable_by("world")
    assert result.status == "failed" and "by must be one of" in result.message


def test_file_on_this_machine(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("hello\n")
    path.chmod(0o640)
    f = File(str(path))
    assert f.exists and f.is_file and f.mode == 0o640 and f.size == 6
    assert f.content == "hello\n"
    assert f.sha256sum == "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
    assert f.owner == (File("/etc/passwd").owner if os.geteuid() == 0 else f.owner)
    d = Directory(str(tmp_path))
    assert d.is_directory and d.entries == ["f.txt"]
    assert describe(File(str(tmp_path))).its("content").should.eq("").status == "failed"


# --------------------------------------------------------------- command
def test_command_on_this_machine():
    assert Command("echo hi").stdout == "hi\n" and Command("exit 3").exit_status == 3
    assert Command("sh -c 'echo err >&2'").stderr == "err\n"
    assert Command("sh").exists and not Command("no-such-tool-xyz --x").exists
    assert describe(Command("echo hi")).its("stdout").should.eq("hi\n").code_desc == \
        'Command: `echo hi` stdout is expected to eq "hi\\n"'


# ------------------------------------------------------------ user/group
def test_user_and_group_prefer_getent_and_fall_back_to_files(replay):
    replay({"files": {"/etc/passwd": PASSWD, "/etc/group": GROUP}})  # getent missing: exit 127
    alice = User("alice")
    assert (alice.uid, alice.gid, alice.home, alice.shell, alice.group) == (1000, 1000, "/home/alice", "/bin/zsh", "alice")
    assert alice.groups == ["alice", "sudo"]
    assert not User("bob").exists and User("bob").groups == []
    assert Group("sudo").members == ["alice"] and Group("shadow").gid == 42
    assert not Group("wheel").exists


def test_user_from_getent(replay):
    replay({"commands": {"getent passwd ldapuser": "ldapuser:x:5000:5000::/home/l:/bin/sh\n",
                         "getent group": "ldap:x:5000:\n"}})
    assert User("ldapuser").uid == 5000 and User("ldapuser").group == "ldap"


def test_root_on_this_machine():
    assert User("root").uid == 0 and Group("root").gid == 0


# --------------------------------------------------------------- package
def test_package_parsers():
    assert parse_dpkg("install ok installed|1:9.2p1-2+deb12u3", 0) == (True, "1:9.2p1-2+deb12u3")
    assert parse_dpkg("deinstall ok config-files|1.0", 0) == (False, None)
    assert parse_dpkg("", 1) == (False, None)
    assert parse_rpm("8.7p1-34.el9\n", 0) == (True, "8.7p1-34.el9")
    assert parse_rpm("package telnet is not installed\n", 1) == (False, None)
    assert parse_apk("openssh-server-9.6_p1-r0\n", 0, "openssh-server") == (True, "9.6_p1-r0")
    assert parse_apk("", 1, "telnet") == (False, None)
    assert parse_apk("openssh-client-default-9.6_p1-r0\n", 0, "openssh") == (False, None)  # another package


@pytest.mark.parametrize("platform, command, output, expected", [
    ({"name": "debian", "family": "debian"}, "dpkg-query -W -f '${Status}|${Version}' openssh-server",
     "install ok installed|1:9.2p1-2", (True, "1:9.2p1-2")),
    ({"name": "rocky", "family": "redhat"},
     "rpm -q --queryformat '%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\n' openssh-server",
     "8.7p1-34.el9\n", (True, "8.7p1-34.el9")),
    ({"name": "alpine", "family": "alpine"}, "apk info -e -v openssh-server", "openssh-server-9.6_p1-r0\n",
     (True, "9.6_p1-r0")),
])
def test_package_follows_the_platform(replay, platform, command, output, expected):
    replay({"platform": platform, "commands": {command: output}})
    pkg = Package("openssh-server")
    assert (pkg.installed, pkg.version) == expected


def test_apk_installed_is_asked_with_info_e(replay):
    # apk-tools 2.x: `apk info -v NAME` prints "NAME: description" lines (no version) for any package
    # the repositories know, installed or not; `apk info -e -v NAME` prints NAME-VERSION, exit 1 if absent.
    replay({"platform": {"name": "alpine", "family": "alpine"},
            "commands": {"apk info -v openssh": "openssh: Port of OpenBSD's free SSH release\n\n"
                                                "openssh: https://www.openssh.com/portable.html\n\n",
                         "apk info -v telnet": "busybox-extras: Additional BusyBox utilities\n\n",
                         "apk info -e -v openssh": "openssh-9.6_p1-r0\n",
                         "apk info -e -v telnet": {"exit_status": 1}}})
    assert (Package("openssh").installed, Package("openssh").version) == (True, "9.6_p1-r0")
    assert (Package("telnet").installed, Package("telnet").version) == (False, None)


def test_package_unknown_manager_is_skipped(replay):
    replay({"platform": {"name": "gentoo", "family": "gentoo"}})
    result = describe(Package("vim")).should.be_installed()
    assert result.status == "skipped" and "no known package manager" in result.skip_message


def test_package_on_this_machine():
    assert Package("no-such-package-xyz").installed is False


# ---------------------------------------------------------- config files
def test_login_defs(replay):
    replay({"files": {"/etc/login.defs": "# c\nPASS_MAX_DAYS\t90\nUMASK 027\nENCRYPT_METHOD SHA512\n"}})
    defs = LoginDefs()
    assert defs.value("PASS_MAX_DAYS") == "90" and defs.value("UMASK") == "027" and defs.value("MISSING") is None
    assert describe(defs).its("PASS_MAX_DAYS").should.be_at_most(365).status == "passed"


def test_json_yaml_ini(replay):
    replay({"files": {"/a.json": '{"server": {"port": 443}}', "/a.yml": "server:\n  tls: true\n",
                      "/a.ini": "top = 1\n[main]\nmode = strict\n", "/bad.json": "{"}})
    assert describe(Json("/a.json")).its("server.port").should.eq(443).status == "passed"
    assert Yaml("/a.yml").value(["server", "tls"]) is True
    assert Ini("/a.ini").params == {"top": "1", "main": {"mode": "strict"}}
    assert Json(content='{"a": [1]}').value("a") == [1]
    bad = describe(Json("/bad.json")).its("a").should.eq(1)
    assert bad.status == "failed" and "/bad.json is not valid JSON" in bad.message
    missing = describe(Yaml("/none.yml")).its("a").should.eq(1)
    assert missing.status == "failed" and missing.message == "no such file: /none.yml"


def test_a_key_missing_at_any_depth_reads_none(replay):
    replay({"files": {"/a.json": '{"server": {"port": 443}}'}})
    assert describe(Json("/a.json")).its("client.port").should.eq(None).status == "passed"
    assert describe(Json("/a.json")).its("server.tls.min_version").should.eq(None).status == "passed"
    not_a_mapping = describe(Json("/a.json")).its("server.port.x").should.eq(None)  # 443 has no key x
    assert not_a_mapping.status == "failed" and "int has no attribute 'x'" in not_a_mapping.message


# ------------------------------------------------------- os_env/platform
def test_os_env(replay):
    replay({"commands": {"printenv PATH": "/usr/bin::/bin:.\n", "printenv NOPE": {"exit_status": 1}}})
    path = OsEnv("PATH")
    assert path.split == ["/usr/bin", "", "/bin", "."]
    assert OsEnv("NOPE").content is None and OsEnv("NOPE").split == []


def test_os_env_without_printenv_reads_env(replay):
    missing = {"stderr": "/bin/sh: printenv: not found\n", "exit_status": 127}
    replay({"commands": {"printenv PATH": missing, "printenv MOTD": missing, "printenv NOPE": missing,
                         "env": "HOME=/root\nPATH=/usr/sbin:/usr/bin\nMOTD=line 1\nline 2\n"}})
    assert OsEnv("PATH").content == "/usr/sbin:/usr/bin" and OsEnv("MOTD").content == "line 1\nline 2"
    assert OsEnv("NOPE").content is None


def test_os_env_with_neither_printenv_nor_env_is_skipped(replay):
    replay({})
    result = describe(OsEnv("PATH")).its("content").should.eq(None)
    assert result.status == "skipped" and "neither printenv nor env" in result.skip_message


def test_platform(replay):
    replay({"platform": {"name": "ubuntu", "family": "debian", "release": "22.04", "arch": "aarch64"}})
    plat = Platform()
    assert (plat.name, plat.family, plat.release, plat.arch) == ("ubuntu", "debian", "22.04", "aarch64")
    assert plat.linux and plat.in_family("debian") and not plat.windows
    assert Os().family == "debian"


def test_platform_and_env_on_this_machine():
    assert Platform().linux
    assert "/" in (OsEnv("PATH").content or "/")
