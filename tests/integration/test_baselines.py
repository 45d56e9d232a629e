"""The shipped linux-baseline and ssh-baseline run on this machine, locally and over SSH, with one verdict.

The reports are real: the machine's failures are failures. What is asserted
is that each profile runs to the end (exit 0, 100 or 101), that no check
ended in an exception (a resource that does not apply is a skip with its
reason), and that a run over SSH judges every check as the local run does.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT, run_cli

PROFILES = ["linux-baseline", "ssh-baseline"]


def run_profile(profile: str, out, *args: str) -> tuple[int, dict]:
    out.mkdir(parents=True, exist_ok=True)
    report = out / f"{profile}.json"
    result = run_cli("exec", ROOT / "profiles" / profile, "--reporter", f"json:{report}", "--no-color", *args)
    assert result.code in (0, 100, 101), result.err
    assert "Traceback" not in result.err
    return result.code, json.loads(report.read_text())


def verdicts(report: dict) -> dict[str, list[tuple[str, str]]]:
    """Control id → [(code_desc, status)] of its results."""
    return {c["id"]: [(r["code_desc"], r["status"]) for r in c["results"]]
            for p in report["profiles"] for c in p["controls"]}


def exceptions(report: dict) -> list[str]:
    return [f"{c['id']}: {r['code_desc']}: {r.get('message')}"
            for p in report["profiles"] for c in p["controls"] for r in c["results"] if r.get("exception")]


@pytest.mark.parametrize("profile", PROFILES)
def test_baseline_is_valid(profile):
    result = run_cli("check", ROOT / "profiles" / profile)
    assert result.code == 0, result.out + result.err
    assert "Summary: 0 error(s), 0 warning(s)" in result.out


@pytest.mark.parametrize("profile", PROFILES)
def test_baseline_runs_locally_without_exceptions(profile, tmp_path):
    code, report = run_profile(profile, tmp_path)
    controls = report["profiles"][0]["controls"]
    assert len(controls) >= {"linux-baseline": 40, "ssh-baseline": 25}[profile]
    assert exceptions(report) == []
    statuses = {r["status"] for c in controls for r in c["results"]}
    assert code == (100 if "failed" in statuses else 101 if "skipped" in statuses else 0)
    for control in controls:  # every control names its CIS-style section
        assert control["tags"].get("section"), control["id"]


def test_linux_baseline_verdicts_follow_the_machine(tmp_path):
    from inspecpy.resources import kernel_parameter, passwd

    _, report = run_profile("linux-baseline", tmp_path, "--controls", "linux-aslr-full", "linux-unique-uids")
    got = {cid: [s for _, s in results] for cid, results in verdicts(report).items()}
    aslr = kernel_parameter("kernel.randomize_va_space").value
    assert got["linux-aslr-full"] == ["passed" if aslr == 2 else "failed"]
    uids = passwd().uids
    assert got["linux-unique-uids"] == ["passed" if len(uids) == len(set(uids)) else "failed"]


def test_inputs_change_the_verdict(tmp_path):
    args = ("--controls", "linux-password-max-age")
    _, strict = run_profile("linux-baseline", tmp_path, *args, "--input", "pass_max_days=0")
    _, lax = run_profile("linux-baseline", tmp_path, *args, "--input", "pass_max_days=100000")
    assert verdicts(strict)["linux-password-max-age"][0][1] == "failed"
    assert verdicts(lax)["linux-password-max-age"][0][1] == "passed"


def test_ssh_baseline_skips_when_no_server_is_installed(tmp_path):
    code, report = run_profile("ssh-baseline", tmp_path, "--input", "sshd_config_path=/nonexistent/sshd_config",
                               "--controls", "/^ssh-(root-login|x11-forwarding|ciphers)$/")
    results = [r for c in report["profiles"][0]["controls"] for r in c["results"]]
    assert code == 101 and {r["status"] for r in results} == {"skipped"}
    assert all("not installed" in r["skip_message"] or "only_if" in r["skip_message"] for r in results)


@pytest.mark.integration
@pytest.mark.parametrize("profile", PROFILES)
def test_same_verdicts_locally_and_over_ssh(profile, sshd, tmp_path):
    local_code, local = run_profile(profile, tmp_path / "local")
    remote_code, remote = run_profile(profile, tmp_path / "ssh", *sshd.args("--sudo"))
    assert exceptions(remote) == []
    assert remote["platform"]["name"] == local["platform"]["name"]
    assert verdicts(remote) == verdicts(local)
    assert remote_code == local_code
