"""Bad mlsvs inputs and ML arguments: one clear line naming what is wrong, the other controls still run."""

from __future__ import annotations

import json

from tests.conftest import ROOT, run_cli, write_profile

PROFILE = ROOT / "profiles" / "mlsvs"


def _results(run) -> dict[str, list[dict]]:
    return {c["id"]: c["results"] for p in json.loads(run.out)["profiles"] for c in p["controls"]}


def test_an_unknown_attack_is_an_error_result_and_the_others_still_run():
    run = run_cli("exec", PROFILE, "--controls", "/robust/", "--reporter", "json", "--input", "attack=deepfool")
    results = _results(run)
    [bad] = results["mlsvs-robust-02"]
    assert bad["status"] == "failed" and "unknown attack 'deepfool' (one of fgsm, pgd, noise, simba, hopskipjump)" \
        in bad["message"]
    assert results["mlsvs-robust-01"][0]["status"] == "passed"
    assert results["mlsvs-robust-03"][0]["code_desc"].startswith("PGD attack")


def test_a_clip_range_that_is_not_a_number_is_a_usage_error():
    run = run_cli("exec", PROFILE, "--controls", "mlsvs-robust-02", "--input", "clip_min=low")
    assert run.code == 1 and run.err.strip().splitlines()[-1].endswith("input 'clip_min' must be Numeric, got 'low'")


def test_an_empty_or_inverted_clip_range_is_refused_with_both_bounds_named():
    run = run_cli("exec", PROFILE, "--controls", "mlsvs-robust-02", "--reporter", "json", "--input",
                  "clip_min=1", "clip_max=0", "attack=simba")
    [result] = _results(run)["mlsvs-robust-02"]
    assert result["status"] == "failed" and "clip_min 1.0 is not below clip_max 0.0" in result["message"]


def test_a_drift_sample_too_small_to_tell_is_refused_not_passed(tmp_path):
    small = tmp_path / "small.csv"
    small.write_text("x0,y\n" + "".join(f"{i % 7 / 7:.3f},{i % 2}\n" for i in range(40)))
    reference = tmp_path / "ref.csv"
    reference.write_text("x0,y\n" + "".join(f"{i % 7 / 7:.3f},{i % 2}\n" for i in range(2000)))
    profile = write_profile(tmp_path, controls={"d.py": f"""
        from inspecpy import control, describe
        from inspecpy.resources import dataset
        @control("drift")
        def _():
            describe(dataset({str(small)!r}, label="y", reference={str(reference)!r}).drift()) \\
                .its("drift_share").should.eq(0)
        @control("other")
        def _():
            describe(1).should.eq(1)
    """})
    run = run_cli("exec", profile, "--reporter", "json")
    results = _results(run)
    [drift] = results["drift"]
    assert drift["status"] == "failed"
    assert "column 'x0': 40 values against 2000 cannot tell PSI drift ≥ 0.1 over 7 bins from sampling noise " \
           "(at least" in drift["message"] and "method='ks'" in drift["message"]
    assert results["other"][0]["status"] == "passed"


def test_a_package_version_that_its_manager_cannot_read_is_an_error_not_a_verdict(tmp_path):
    profile = write_profile(tmp_path, controls={"v.py": """
        from inspecpy import control, describe
        from inspecpy.versions import PackageVersion
        @control("v")
        def _():
            describe(PackageVersion("1.0-1", "dpkg")).should.be_at_least("one point two!")
            describe(PackageVersion("1.0-1", "dpkg")).should.be_at_least("0.9")
    """})
    results = _results(run_cli("exec", profile, "--reporter", "json"))["v"]
    assert results[0]["status"] == "failed" and results[0]["exception"] == "ValueError"
    assert "Invalid version string 'one point two!' (as a dpkg version)" in results[0]["message"]
    assert results[1]["status"] == "passed"
