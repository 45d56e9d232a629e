"""Waiver files: InSpec's format, run: false skips, run: true keeps results but not the verdict, expiry."""

import datetime as dt
import json

import pytest

from inspecpy.errors import WaiverError
from inspecpy.profile.loader import load_profile
from inspecpy.profile.waivers import apply_waivers, load_waiver_files, parse_waivers


def test_parse_inspec_format_with_dates_and_yes_no():
    entries, warnings = parse_waivers("w.yml", "a:\n  justification: why\n  run: no\n  expiration_date: 2031-01-02\n"
                                               "b:\n  justification: because\n")
    assert [(e.control_id, e.run, e.expiration_date) for e in entries] == [
        ("a", False, dt.date(2031, 1, 2)), ("b", True, None)]
    assert warnings == []


def test_csv_waivers_as_inspec_reads_them():
    entries, _ = parse_waivers("w.csv", "control_id,justification,run,expiration_date\n"
                                        "a,legacy host,false,2031-01-02\n")
    assert entries[0].control_id == "a" and entries[0].run is False
    assert entries[0].waiver().skipped_due_to_waiver is True


def test_unknown_key_is_a_warning_not_an_error():
    _, warnings = parse_waivers("w.yml", "a:\n  justification: x\n  runn: false\n")
    assert warnings == ["waiver file w.yml: control 'a': unknown key(s) runn (known: expiration_date, "
                        "justification, run)"]


def test_missing_justification_is_an_error():
    with pytest.raises(WaiverError, match="control 'a': 'justification' is required"):
        parse_waivers("w.yml", "a:\n  run: false\n")


def test_expired_waiver_is_ignored_with_a_warning(profile_factory, tmp_path):
    path = profile_factory("p", "a", "b")
    (tmp_path / "w.yml").write_text("a:\n  justification: old\n  expiration_date: 2020-01-01\n"
                                    "b:\n  justification: current\n  expiration_date: 2099-01-01\n")
    profile = load_profile(str(path))
    waivers, _ = load_waiver_files([str(tmp_path / "w.yml")])
    warnings = apply_waivers([profile], waivers, today=dt.date(2026, 6, 1))
    by_id = {c.id: c for c in profile.controls}
    assert by_id["a"].waiver is None
    assert by_id["b"].waiver.justification == "current"
    assert warnings == [f"waiver file {tmp_path / 'w.yml'}: the waiver of control 'a' expired on 2020-01-01; "
                        "the control runs as usual"]


def test_waiver_expires_at_the_start_of_its_day(profile_factory, tmp_path):
    profile = load_profile(str(profile_factory("p", "a")))
    (tmp_path / "w.yml").write_text("a:\n  justification: x\n  expiration_date: 2026-06-01\n")
    waivers, _ = load_waiver_files([str(tmp_path / "w.yml")])
    apply_waivers([profile], waivers, today=dt.date(2026, 5, 31))
    assert profile.controls[0].waiver is not None
    profile = load_profile(str(profile_factory("q", "a")))
    apply_waivers([profile], waivers, today=dt.date(2026, 6, 1))
    assert profile.controls[0].waiver is None


def test_run_false_is_not_executed_and_run_true_failure_does_not_fail(inproc, profile_factory, tmp_path):
    marker = tmp_path / "ran"
    path = profile_factory("p", "ok", failing=("broken",), extra={
        "side.py": f'@control("skipped-one", title="t", desc="d")\ndef _():\n    open({str(marker)!r}, "w").close()\n'
                   f'    describe(1).should.eq(1)\n'})
    (tmp_path / "w.yml").write_text("skipped-one:\n  justification: not on this host\n  run: false\n"
                                    "broken:\n  justification: accepted risk TICKET-1\n")
    run = inproc("exec", path, "--waiver-file", tmp_path / "w.yml", "--reporter", "json")
    assert run.code == 0, run
    assert not marker.exists()
    report = json.loads(run.out)
    controls = {c["id"]: c for c in report["profiles"][0]["controls"]}
    assert controls["skipped-one"]["waiver_data"] == {
        "justification": "not on this host", "run": False, "skipped_due_to_waiver": True, "message": ""}
    assert controls["skipped-one"]["results"][0]["status"] == "skipped"
    assert controls["skipped-one"]["results"][0]["skip_message"] == \
        "Skipped control due to waiver condition: not on this host"
    assert controls["broken"]["waiver_data"]["run"] is True
    assert controls["broken"]["results"][0]["status"] == "failed"
    assert controls["ok"]["waiver_data"] == {}


def test_without_the_waiver_the_failure_fails_the_run(inproc, profile_factory):
    run = inproc("exec", profile_factory("p", "ok", failing=("broken",)), "--reporter", "json")
    assert run.code == 100


def test_waiver_for_unknown_control_warns_and_the_run_goes_on(inproc, profile_factory, tmp_path):
    (tmp_path / "w.yml").write_text("nope:\n  justification: typo\n")
    run = inproc("exec", profile_factory("p", "ok"), "--waiver-file", tmp_path / "w.yml")
    assert run.code == 0
    assert f"inspecpy: warning: waiver file {tmp_path / 'w.yml'}: no control 'nope' in the profiles " \
           "(waiver ignored)" in run.err


def test_later_waiver_file_wins(tmp_path):
    (tmp_path / "a.yml").write_text("x:\n  justification: first\n")
    (tmp_path / "b.yml").write_text("x:\n  justification: second\n  run: false\n")
    waivers, _ = load_waiver_files([str(tmp_path / "a.yml"), str(tmp_path / "b.yml")])
    assert waivers["x"].justification == "second" and waivers["x"].run is False
