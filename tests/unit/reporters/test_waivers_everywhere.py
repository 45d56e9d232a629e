"""One waiver rule (InSpec's), shown the same way by every reporter.

A waived control that failed is accepted: shown as waived with its
justification, never counted or listed as a failure, and the run passes.
One waived with ``run: false`` is skipped, its skip message naming the
waiver. Machine formats of InSpec's data keep the raw test statuses and
carry ``waiver_data``.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
import yaml

from inspecpy.reporter import ReporterOptions
from inspecpy.reporters.html import fleet_matrix
from inspecpy.reporters.progress import ProgressReporter, summary_line
from inspecpy.results import (ControlResult, ProfileResult, RunResult, TestResult, Waiver, exit_code,
                              shown_counts, shown_status)
from tests.conftest import run_cli, write_profile
from tests.unit.reporters.support import assert_exec_json, assert_exec_json_min, assert_junit

CONTROLS = """
from inspecpy import control, describe

@control("ok", title="Passes")
def _():
    describe(1).should.eq(1)

@control("broken", title="Fails, not waived")
def _():
    describe(1).should.eq(2)

@control("accepted", impact=0.7, title="Fails, waived")
def _():
    describe(1).should.eq(1)
    describe("yes").should.cmp("no")

@control("not-run", title="Waived, not run")
def _():
    describe(1).should.eq(2)

@control("fine-anyway", title="Waived, passes")
def _():
    describe(1).should.eq(1)
"""

WAIVERS = """\
accepted: {justification: "risk accepted (TICKET-1)"}
not-run: {justification: "not on this host", run: false}
fine-anyway: {justification: "was flaky"}
"""

FILES = {"json": "r.json", "json-min": "r.min.json", "yaml": "r.yml", "junit": "j.xml", "html": "r.html",
         "markdown": "r.md", "sarif": "r.sarif"}
SHOWN = {"ok": "passed", "broken": "failed", "accepted": "waived", "not-run": "skipped", "fine-anyway": "passed"}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("waivers")
    profile = write_profile(root, name="wp", controls={"c.py": CONTROLS})
    (root / "w.yml").write_text(WAIVERS)
    run = run_cli("exec", profile, "--waiver-file", root / "w.yml", "--no-color", "--reporter", "cli",
                  *(f"{name}:{root / f}" for name, f in FILES.items()))
    assert run.code == 100, run          # "broken" fails; the waived failure alone would not
    return run, {name: (root / f).read_text() for name, f in FILES.items()}


def test_cli(out):
    run, _ = out
    lines = run.out.splitlines()
    assert "  ⚑  accepted: Fails, waived (1 failed)" in lines
    assert lines[lines.index("  ⚑  accepted: Fails, waived (1 failed)") + 1] == "     ⚑  waived: risk accepted (TICKET-1)"
    assert '     ⚑  yes is expected to cmp == "no"' in lines
    assert "  ×  broken: Fails, not waived" in lines
    assert "  ↺  not-run: Waived, not run" in lines
    assert "     ↺  Skipped control due to waiver condition: not on this host" in lines
    assert "  ✔  fine-anyway: Waived, passes" in lines
    assert "Profile Summary: 2 successful controls, 1 control failure, 1 control skipped, 1 control waived" in lines
    assert "Test Summary: 3 successful, 1 failure, 1 skipped, 1 waived" in lines


def test_json_and_yaml_keep_inspec_data_with_waiver_data(out):
    _, reports = out
    for doc in (json.loads(reports["json"]), yaml.safe_load(reports["yaml"])):
        assert_exec_json(doc)
        controls = {c["id"]: c for c in doc["profiles"][0]["controls"]}
        assert [r["status"] for r in controls["accepted"]["results"]] == ["passed", "failed"]
        assert controls["accepted"]["waiver_data"]["justification"] == "risk accepted (TICKET-1)"
        assert controls["accepted"]["waiver_data"]["skipped_due_to_waiver"] is False
        assert controls["not-run"]["waiver_data"]["skipped_due_to_waiver"] is True
        assert [r["status"] for r in controls["not-run"]["results"]] == ["skipped"]
        assert controls["broken"]["waiver_data"] == {} and controls["ok"]["waiver_data"] == {}


def test_json_min_marks_each_waived_entry(out):
    _, reports = out
    doc = json.loads(reports["json-min"])
    assert_exec_json_min(doc)
    waived = {e["id"] for e in doc["controls"] if "waiver_data" in e}
    assert waived == {"accepted", "not-run", "fine-anyway"}
    [failed] = [e for e in doc["controls"] if e["id"] == "accepted" and e["status"] == "failed"]
    assert failed["waiver_data"]["justification"] == "risk accepted (TICKET-1)"


def test_junit_waived_failure_is_skipped_with_the_justification(out):
    _, reports = out
    assert_junit(reports["junit"].encode())
    suite = ET.fromstring(reports["junit"]).find("testsuite")
    assert suite.get("failures") == "1" and suite.get("skipped") == "2"
    skipped = suite.find("testcase[@classname='accepted']/skipped")
    assert skipped.get("message") == "waived: risk accepted (TICKET-1)"
    assert suite.find("testcase[@classname='broken']/failure") is not None


def test_html_shows_waived_apart_from_failed_and_lists_failures_first(out):
    _, reports = out
    page = reports["html"]
    counts = dict(re.findall(r'data-count="([a-z-]+)">(\d+)', page))
    assert counts == {"controls-passed": "2", "controls-failed": "1", "controls-skipped": "1",
                      "controls-waived": "1", "tests-passed": "3", "tests-failed": "1", "tests-skipped": "1",
                      "tests-waived": "1"}
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', page, re.S).group(1))
    assert {c["id"]: c["s"] for c in data["controls"]} == SHOWN
    assert [c["id"] for c in data["controls"]][:2] == ["broken", "accepted"]
    assert [r[0] for r in data["controls"][1]["r"]] == ["passed", "waived"]
    assert 'data-status="waived"' in page and "matrix" not in data  # one target: no matrix


def test_markdown_counts_and_lists_waived_apart(out):
    _, reports = out
    md = reports["markdown"]
    assert md.startswith("## inspecpy: ❌ 1 control failed, 1 waived\n")
    assert "| 2 | 1 | 1 | 1 | 3 | 1 | 1 | 1 |" in md
    failed, waived = md.split("### Waived controls (1)")
    assert "### Failed controls (1)" in failed and "<b>broken</b>" in failed and "<b>accepted</b>" not in failed
    assert "<b>accepted</b>" in waived and "- waiver: risk accepted (TICKET-1)" in waived


def test_sarif_suppresses_the_waived_failure(out):
    _, reports = out
    results = {r["ruleId"]: r for r in json.loads(reports["sarif"])["runs"][0]["results"]}
    assert set(results) == {"broken", "accepted"}
    assert "suppressions" not in results["broken"]
    assert results["accepted"]["suppressions"][0]["justification"] == "risk accepted (TICKET-1)"


class Terminal(io.StringIO):
    def isatty(self):
        return True


def _control(cid: str, *statuses: str, waiver: Waiver | None = None) -> ControlResult:
    return ControlResult(cid, None, None, 0.5, results=tuple(TestResult(s, cid) for s in statuses), waiver=waiver)


def test_progress_counts_a_waived_failure_as_waived(monkeypatch):
    monkeypatch.setattr("inspecpy.reporters.progress.REDRAW_SECONDS", 0)
    screen = Terminal()
    reporter = ProgressReporter(ReporterOptions(), stream=screen)
    for control in (_control("ok", "passed"), _control("broken", "failed"),
                    _control("accepted", "failed", waiver=Waiver("known"))):
        reporter.on_control_done("local://", control)
    assert "3 controls  ✔ 1  × 1  ⚑ 1  ↺ 0" in screen.getvalue()
    assert "▒" in screen.getvalue()


def test_progress_summary_line_counts_a_waived_failure_as_waived():
    """The end-of-run line used to count raw statuses: ``1 controls  ✔ 0  × 1`` for a run that exits 0."""
    accepted = _control("accepted", "failed", waiver=Waiver("known"))
    run = RunResult("local://", None, (ProfileResult("p", controls=(accepted, _control("ok", "passed"))),), 0.0, "0")
    assert exit_code([run]) == 0
    assert summary_line([run]) == "2 controls  ✔ 1  × 0  ⚑ 1  ↺ 0  in 0.0s"


def test_one_rule_and_the_exit_code_agree():
    accepted = _control("accepted", "failed", waiver=Waiver("known"))
    skipped = _control("not-run", "skipped", waiver=Waiver("later", run=False, skipped_due_to_waiver=True))
    assert [shown_status(c) for c in (accepted, skipped)] == ["waived", "skipped"]
    run = RunResult("local://", None, (ProfileResult("p", controls=(accepted, _control("ok", "passed"))),), 0.0, "0")
    assert exit_code([run]) == 0
    assert shown_counts(run.controls) == {"passed": 1, "failed": 0, "skipped": 0, "waived": 1}


def test_fleet_matrix_puts_controls_failing_somewhere_first():
    def run(target, *controls):
        return RunResult(target, None, (ProfileResult("p", controls=controls),), 0.0, "0")

    runs = [run("ssh://a", _control("c1", "passed"), _control("c2", "passed"), _control("c3", "passed")),
            run("ssh://b", _control("c1", "passed"), _control("c2", "failed", waiver=Waiver("w")),
                _control("c3", "failed"), _control("c4", "skipped"))]
    assert fleet_matrix(runs) == [["c3", ["passed", "failed"]], ["c2", ["passed", "waived"]],
                                  ["c1", ["passed", "passed"]], ["c4", ["", "skipped"]]]
