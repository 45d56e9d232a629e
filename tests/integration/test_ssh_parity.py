"""The same profile gives the same verdicts on local:// and ssh:// (with and without --sudo)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from inspecpy.profile.loader import load_profile
from inspecpy.run.runner import Selection, run_target
from inspecpy.targets.local import LocalTarget
from tests.conftest import ROOT, run_cli

pytestmark = pytest.mark.integration

PARITY = Path(__file__).parent / "profiles" / "parity"
ODD_NAME = "ünï cødé 'q' $x.txt"


def make_fixture(base: Path, inside: str | None = None) -> Path:
    """Odd files in *base*, a folder every test user can read (the parity profile's input);
    *inside* is the folder's path as the target sees it (where the symlinks point)."""
    seen = inside or str(base)
    base.mkdir(parents=True, exist_ok=True)
    base.chmod(0o755)
    (base / "plain.txt").write_text("hello\nworld\n")
    os.chmod(base / "plain.txt", 0o604)  # odd, but readable by the non-root test user
    os.chown(base / "plain.txt", 0, 0)
    (base / "link").symlink_to(f"{seen}/plain.txt")
    (base / "dangling").symlink_to(f"{seen}/missing")
    (base / "sub dir").mkdir()
    os.mkfifo(base / "fifo")
    (base / ODD_NAME).write_text("odd name\n")
    (base / "big.bin").write_bytes(bytes(range(256)) * 20000)
    for path in base.iterdir():
        if path.name not in ("plain.txt", "link", "dangling"):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return base


@pytest.fixture(scope="module")
def fixture_dir():
    base = make_fixture(Path(tempfile.mkdtemp(prefix="inspecpy-parity-")))  # not under pytest's 0700 folder
    yield base
    shutil.rmtree(base, ignore_errors=True)


def verdicts(run) -> dict[str, list[tuple[str, str]]]:
    """Control id → [(code_desc, status)], the part of a run that must not depend on the transport."""
    assert run.error is None, run.error
    return {c.id: [(r.code_desc, r.status) for r in c.results] for p in run.profiles for c in p.controls}


def run_parity(target, fixture_dir) -> dict:
    profile = load_profile(str(PARITY), {"fixture_dir": str(fixture_dir)})
    try:
        return verdicts(run_target([profile], target, Selection()))
    finally:
        target.close()


@pytest.fixture(scope="module")
def local_verdicts(fixture_dir):
    return run_parity(LocalTarget("local://"), fixture_dir)


def test_the_profile_really_checks_something(local_verdicts):
    statuses = [status for results in local_verdicts.values() for _, status in results]
    assert statuses.count("passed") >= 35 and statuses.count("failed") == 2  # 'nope' and 'exit 7'


def test_same_verdicts_over_ssh_with_sudo(sshd, fixture_dir, local_verdicts):
    assert run_parity(sshd.target(sudo=True), fixture_dir) == local_verdicts


def test_same_verdicts_over_ssh_as_a_user(sshd, fixture_dir, local_verdicts):
    remote = run_parity(sshd.target(), fixture_dir)
    roots = [key for key in local_verdicts if key.startswith("root-")]
    assert all(status == "failed" for key in roots for _, status in remote[key])  # not root: these fail
    assert {k: v for k, v in remote.items() if k not in roots} == \
        {k: v for k, v in local_verdicts.items() if k not in roots}


def test_same_verdicts_with_sudo_password(sshd, fixture_dir, local_verdicts):
    target = sshd.target(user=sshd.users.sudo_user, key_files=[], password=sshd.users.sudo_password,
                         sudo=True, sudo_password=sshd.users.sudo_password)
    assert run_parity(target, fixture_dir) == local_verdicts


@pytest.mark.parametrize("profile", ["example", "mlsvs"])
def test_shipped_profile_same_report_over_ssh(profile, sshd, tmp_path):
    """The whole command line: same exit code and the same results in the json report."""
    reports = {}
    codes = {}
    for name, args in (("local", []), ("ssh", sshd.args("--sudo"))):
        report = tmp_path / f"{name}.json"
        run = run_cli("exec", ROOT / "profiles" / profile, "--reporter", f"json:{report}", *args)
        assert run.code in (0, 100, 101), run.err
        codes[name] = run.code
        data = json.loads(report.read_text())
        reports[name] = {c["id"]: [(r["code_desc"], r["status"]) for r in c["results"]]
                         for p in data["profiles"] for c in p["controls"]}
    assert reports["ssh"] == reports["local"]
    assert codes["ssh"] == codes["local"]
