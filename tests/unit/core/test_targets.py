"""The local target and the base class: quoting, caching, timeouts, stat, platform parsing."""

import os

import pytest

from inspecpy.errors import CommandTimeout, TargetError
from inspecpy.targets.base import quote_command
from inspecpy.targets.local import LocalTarget
from inspecpy.targets.platform_detect import parse_os_release, platform_from_probes

NASTY = ["a b", "it's", '"q"', "$(touch /tmp/pwned)", "`id`", "x;y|z&w", "new\nline", "*", "~", "-rf", "%s {}"]


@pytest.mark.parametrize("value", NASTY)
def test_arguments_reach_the_command_verbatim(value):
    target = LocalTarget("local://")
    assert target.run("printf %s {}", value).stdout == value


def test_quote_command_uses_braces_so_percent_survives():
    assert quote_command("date +%s; echo {}", "a b") == "date +%s; echo 'a b'"


def test_identical_probes_run_once(tmp_path):
    target = LocalTarget("local://")
    counter = tmp_path / "n"
    command = f"echo x >> {counter}; cat {counter} | wc -l"
    first = target.run(command).stdout
    assert target.run(command).stdout == first
    assert counter.read_text().count("x") == 1


def test_timeout_kills_the_command_and_is_remembered():
    target = LocalTarget("local://")
    with pytest.raises(CommandTimeout, match="command timed out after 0.3s: sleep 5"):
        target.run("sleep 5", timeout=0.3)
    with pytest.raises(CommandTimeout):  # cached: not waited for twice
        target.run("sleep 5", timeout=0.3)


def test_stat_of_file_link_and_missing(tmp_path):
    path = tmp_path / "f"
    path.write_text("abc")
    path.chmod(0o640)
    (tmp_path / "l").symlink_to(path)
    target = LocalTarget("local://")
    st = target.stat(str(path))
    assert (st.exists, st.type, st.mode, st.size, st.uid) == (True, "file", 0o640, 3, os.getuid())
    link = target.stat(str(tmp_path / "l"))
    assert (link.type, link.target_type, link.link_path) == ("symlink", "file", str(path))
    assert target.stat(str(tmp_path / "missing")).exists is False


def test_open_errors_are_one_line_target_errors(tmp_path):
    target = LocalTarget("local://")
    with pytest.raises(TargetError, match=f"^no such file: {tmp_path}/x$"):
        target.open(str(tmp_path / "x"))
    with pytest.raises(TargetError, match=f"^is a directory: {tmp_path}$"):
        target.open(str(tmp_path))


OS_RELEASES = {
    "debian": ('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n',
               ("debian", "debian", "12")),
    "ubuntu": ('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\n', ("ubuntu", "debian", "22.04")),
    "rocky": ('NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n',
              ("rocky", "redhat", "9.3")),
    "alpine": ("NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n", ("alpine", "alpine", "3.19.1")),
    "unknown-like": ('ID=mydistro\nID_LIKE="ubuntu debian"\nVERSION_ID=1\n', ("mydistro", "debian", "1")),
}


@pytest.mark.parametrize("name", OS_RELEASES)
def test_platform_from_recorded_probes(name):
    text, (os_id, family, release) = OS_RELEASES[name]
    platform = platform_from_probes(text, "Linux 6.1.0-18-amd64 x86_64\n", "local://")
    assert (platform.name, platform.family, platform.release, platform.arch) == (os_id, family, release, "x86_64")
    assert platform.in_family("linux") and platform.in_family("unix")


def test_platform_without_os_release_falls_back_to_uname():
    platform = platform_from_probes("", "Darwin 23.1.0 arm64", "ssh://mac")
    assert (platform.name, platform.family, platform.release) == ("darwin", "darwin", "23.1.0")
    assert not platform.in_family("linux")


def test_parse_os_release_ignores_comments_and_quotes():
    assert parse_os_release("# c\nID='x y'\nBAD LINE\n") == {"ID": "x y"}


def test_local_platform_is_detected():
    platform = LocalTarget("local://").platform
    assert platform.in_family("linux") and platform.arch
