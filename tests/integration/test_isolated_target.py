"""Checks run on the target they name, against an SSH host whose files are not this machine's.

The loopback sshd of the other SSH tests shares this machine's filesystem, so
a check that silently ran locally would still pass there. The isolated host
(tests/servers/isolated_sshd.py) has its own /etc (login.defs PASS_MAX_DAYS 42,
an Ubuntu os-release, a marker file) and no copy of this checkout, so here it
cannot. Regression tests for issue 10: resources made at module level in a
control file used to check the machine running inspecpy.
"""

from __future__ import annotations

import json
import secrets
import shutil
from pathlib import Path

import pytest

from inspecpy.profile.loader import load_profile
from inspecpy.run.runner import Selection, run_target
from inspecpy.targets.local import LocalTarget
from tests.conftest import ROOT, run_cli, write_profile
from tests.integration.test_ssh_parity import PARITY, make_fixture, verdicts

pytestmark = pytest.mark.integration

MODULE_LEVEL = """
from inspecpy import control, describe
from inspecpy.resources import command, file, login_defs

NAME = command("cat /etc/hostname")          # built while the profile loads: probed in the controls
MARKER = file("/etc/inspecpy-isolated")
DEFS = login_defs()

@control("host-name")
def _():
    describe(NAME).its("stdout").should.eq("inspecpy-isolated\\n")

@control("marker")
def _():
    describe(MARKER).should.exist()

@control("login-defs")
def _():
    describe(DEFS).its("PASS_MAX_DAYS").should.cmp(42)
"""


def statuses(report: Path) -> dict[str, str]:
    data = json.loads(report.read_text())
    return {c["id"]: c["results"][0]["status"] for p in data["profiles"] for c in p["controls"]}


def test_module_level_resources_check_the_ssh_host_not_this_machine(isolated_sshd, tmp_path):
    assert not Path(isolated_sshd.marker_path).exists()  # the marker is only on the isolated host
    profile = write_profile(tmp_path, "module-level", {"c.py": MODULE_LEVEL})
    run = run_cli("exec", profile, *isolated_sshd.args(), "--reporter", f"json:{tmp_path / 'ssh.json'}")
    assert run.code == 0, run.out + run.err
    assert statuses(tmp_path / "ssh.json") == {"host-name": "passed", "marker": "passed", "login-defs": "passed"}
    run = run_cli("exec", profile, "--reporter", f"json:{tmp_path / 'local.json'}")
    assert statuses(tmp_path / "local.json") == {"host-name": "failed", "marker": "failed", "login-defs": "failed"}


def test_a_fleet_of_this_machine_and_the_isolated_host_gets_each_hosts_answer(isolated_sshd, tmp_path):
    profile = write_profile(tmp_path, "module-level", {"c.py": MODULE_LEVEL})
    report = tmp_path / "{target}.json"
    run = run_cli("exec", profile, "-t", "local://", *isolated_sshd.args(), "--reporter", f"json:{report}")
    assert run.code == 100  # local fails, the isolated host passes: one shared resource, two answers
    reports = {p.stem: set(statuses(p).values()) for p in tmp_path.glob("*.json")}
    assert reports.pop("local") == {"failed"}
    assert list(reports.values()) == [{"passed"}]  # the isolated host's report


@pytest.fixture
def parity_folder(isolated_sshd):
    """The parity fixture at the same path here and on the isolated host (its own copy there)."""
    inside = f"/srv/inspecpy-parity-{secrets.token_hex(4)}"
    local = make_fixture(Path(inside))
    make_fixture(isolated_sshd.host_path(inside), inside)
    yield inside
    shutil.rmtree(local, ignore_errors=True)
    shutil.rmtree(isolated_sshd.host_path(inside), ignore_errors=True)


def run_parity(target, folder: str) -> dict:
    profile = load_profile(str(PARITY), {"fixture_dir": folder})
    try:
        return verdicts(run_target([profile], target, Selection()))
    finally:
        target.close()


def test_parity_profile_same_verdicts_on_a_host_with_its_own_files(isolated_sshd, parity_folder):
    local = run_parity(LocalTarget("local://"), parity_folder)
    remote = run_parity(isolated_sshd.target(sudo=True), parity_folder)
    assert remote == local


@pytest.mark.parametrize("profile", ["linux-baseline", "ssh-baseline"])
def test_baselines_judge_the_isolated_hosts_own_files(profile, isolated_sshd, tmp_path):
    report = tmp_path / f"{profile}.json"
    run = run_cli("exec", ROOT / "profiles" / profile, *isolated_sshd.args("--sudo"), "--reporter", f"json:{report}")
    assert run.code in (0, 100, 101), run.err
    data = json.loads(report.read_text())
    assert data["platform"]["name"] == "ubuntu" and data["platform"]["release"] == "22.04"
    errors = [r for p in data["profiles"] for c in p["controls"] for r in c["results"] if r.get("exception")]
    assert errors == []
    if profile == "linux-baseline":  # the isolated host's login.defs says PASS_MAX_DAYS 42; this machine's does not
        results = {c["id"]: c["results"] for c in data["profiles"][0]["controls"]}
        assert results["linux-password-max-age"][0]["status"] == "passed"
