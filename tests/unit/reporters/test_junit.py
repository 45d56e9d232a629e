"""junit: one testsuite per profile (and target), one testcase per test, valid against the Ant schema."""

import xml.etree.ElementTree as ET

from inspecpy.results import RunResult
from inspecpy.reporters.junit import render_junit
from tests.conftest import run_cli, write_profile
from tests.unit.reporters.support import EXPECTED_TESTS, assert_junit

PASSING = "from inspecpy import control, describe\n@control('ok')\ndef _():\n    describe(1).should.eq(1)\n"


def test_junit_validates_with_one_case_per_test(reports):
    data = reports.bytes("junit")
    assert_junit(data)
    root = ET.fromstring(data)
    assert root.tag == "testsuites" and root.attrib == {}
    [suite] = root
    assert suite.get("name") == "rp" and suite.get("package") == "rp" and suite.get("id") == "0"
    assert int(suite.get("tests")) == sum(EXPECTED_TESTS.values())
    assert (suite.get("failures"), suite.get("errors"), suite.get("skipped")) == ("4", "1", "1")
    assert [child.tag for child in suite][0] == "properties" and [c.tag for c in suite][-2:] == ["system-out",
                                                                                                   "system-err"]
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert props["target"] == "local://" and props["profile.version"] == "1.2.3"


def test_junit_failure_error_and_skip_carry_their_messages(reports):
    suite = ET.fromstring(reports.bytes("junit"))[0]
    cases = suite.findall("testcase")
    assert {c.get("classname") for c in cases} == {"pass-1", "fail-1", "skip-1", "error-1", "secret-1"}
    failure = next(c for c in cases if c.get("classname") == "fail-1" and c.find("failure") is not None)
    assert failure.get("name") == "1 is expected to eq 2"
    assert "expected: 2" in failure.find("failure").text and "got: 1" in failure.find("failure").text
    error = next(c for c in cases if c.get("classname") == "error-1").find("error")
    assert error.get("type") == "RuntimeError" and "boom <b>&amp;</b>" in error.get("message")
    assert "Traceback" in error.text
    skipped = next(c for c in cases if c.get("classname") == "skip-1").find("skipped")
    assert skipped.get("message") == "not today"


def test_junit_one_suite_per_target(tmp_path):
    profile = write_profile(tmp_path, controls={"a.py": PASSING})
    out = tmp_path / "junit.xml"
    run = run_cli("exec", profile, "-t", "local://", "-t", "local://", "--reporter", f"junit:{out}")
    assert run.code == 0, run
    data = out.read_bytes()
    assert_junit(data)
    suites = ET.fromstring(data).findall("testsuite")
    assert [s.get("name") for s in suites] == ["p on local://", "p on local://"]
    assert [s.get("id") for s in suites] == ["0", "1"]


def test_junit_unreachable_target_is_an_error_case():
    run = RunResult(target="ssh://nobody@db1", platform=None, profiles=(), duration=0.5, version="0.1.0",
                    start_time="2024-05-01T10:00:00+00:00", error="connection refused")
    data = render_junit([run])
    assert_junit(data)
    suite = ET.fromstring(data)[0]
    assert suite.get("hostname") == "db1" and suite.get("timestamp") == "2024-05-01T10:00:00"
    error = suite.find("testcase/error")
    assert error.get("message") == "connection refused" and error.get("type") == "TargetError"
