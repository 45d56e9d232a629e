"""markdown (pull-request comment) and sarif (GitHub code scanning) from a real run."""

import json

from inspecpy.reporters.markdown import LIMIT, render_markdown
from inspecpy.results import ControlResult, Platform, ProfileResult, RunResult, TestResult


def test_markdown_summary_table_and_failed_controls(reports):
    md = reports.text("markdown")
    assert md.startswith("## inspecpy: ❌ 3 controls failed\n")
    assert "| local:// | Reporter profile 1.2.3 | 1 | 3 | 1 | 0 | 3 | 5 | 1 | 0 |" in md
    assert "### Failed controls (3)" in md
    assert "<details><summary><b>fail-1</b> Fails | with a pipe — impact 0.5 (medium)</summary>" in md
    assert "- ❌ 1 is expected to eq 2" in md
    assert "- 💥 Control error-1\n" in md
    assert "boom &lt;b&gt;" not in md and "```text\nRuntimeError: boom <b>&amp;</b>\n```" in md  # fenced, verbatim
    assert "pass-1" not in md  # passed controls are in the counts only


def test_markdown_escapes_table_cells_and_stays_under_githubs_limit():
    results = tuple(TestResult(status="failed", code_desc=f"check {i} | <b>x</b>", message="m" * 3000)
                    for i in range(3))
    controls = tuple(ControlResult(id=f"c-{i}", title="t | <script>", desc=None, impact=0.5, results=results)
                     for i in range(200))
    run = RunResult(target="local://", platform=Platform("debian", "debian", "12"), duration=1.0, version="0.1.0",
                    profiles=(ProfileResult(name="p|q", controls=controls),))
    md = render_markdown([run])
    assert len(md) < LIMIT + 10_000
    assert "| local:// | p\\|q |" in md
    assert "<script>" not in md and "t | &lt;script&gt;" in md
    assert "more failed controls (see the full report)." in md
    assert "more characters)" in md


def test_sarif_has_failed_controls_as_results(reports):
    log = json.loads(reports.bytes("sarif"))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "inspecpy"
    assert [r["id"] for r in driver["rules"]] == ["fail-1", "error-1", "secret-1"]
    assert [(r["ruleId"], r["level"]) for r in run["results"]] == [
        ("fail-1", "warning"), ("error-1", "error"), ("secret-1", "note")]
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": "rp/controls/c.py", "uriBaseId": "%SRCROOT%"}
        assert location["region"]["startLine"] >= 1
        assert result["message"]["text"]
    fail = run["results"][0]["message"]["text"]
    assert "1 of 2 tests failed on local://" in fail and "1 is expected to eq 2" in fail
    assert run["automationDetails"]["id"] == "inspecpy/local/"
    assert run["invocations"] == [{"executionSuccessful": True}]
    rule = driver["rules"][0]
    assert rule["defaultConfiguration"] == {"level": "warning"}
    assert rule["properties"]["tags"] == ["compliance", "web"]


def test_waived_failures_are_marked_everywhere_ci_looks(tmp_path):
    import xml.etree.ElementTree as ET

    from tests.conftest import run_cli, write_profile
    from tests.unit.reporters.support import assert_junit

    profile = write_profile(tmp_path, controls={"a.py": (
        "from inspecpy import control, describe\n"
        "@control('ok')\ndef _():\n    describe(1).should.eq(1)\n"
        "@control('accepted', impact=0.7)\ndef _():\n    describe(1).should.eq(2)\n")})
    waivers = tmp_path / "w.yml"
    waivers.write_text("accepted:\n  justification: risk accepted (TICKET-1)\n")
    run = run_cli("exec", profile, "--waiver-file", waivers, "--reporter", f"markdown:{tmp_path / 'r.md'}",
                  f"junit:{tmp_path / 'j.xml'}", f"sarif:{tmp_path / 'r.sarif'}")
    assert run.code == 0, run
    md = (tmp_path / "r.md").read_text()
    assert md.startswith("## inspecpy: ✅ 1 of 2 controls passed (1 waived)\n")
    assert "<b>accepted</b> — impact 0.7 (high) — waived</summary>" in md
    assert "- waiver: risk accepted \\(TICKET-1\\)" not in md and "- waiver: risk accepted (TICKET-1)" in md
    junit = (tmp_path / "j.xml").read_bytes()
    assert_junit(junit)
    skipped = ET.fromstring(junit).find("testsuite/testcase[@classname='accepted']/skipped")
    assert skipped.get("message") == "waived: risk accepted (TICKET-1)" and "expected: 2" in skipped.text
    [result] = json.loads((tmp_path / "r.sarif").read_text())["runs"][0]["results"]
    assert result["suppressions"] == [{"kind": "external", "status": "accepted",
                                       "justification": "risk accepted (TICKET-1)"}]
