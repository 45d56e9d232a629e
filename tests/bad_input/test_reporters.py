"""Bad input to the reporters (issue 4): each gives one clear line, the right exit code, and loses nothing else."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
import yaml

from inspecpy.run.report_output import ReporterSpec, write_reports
from inspecpy.reporter import Reporter
from inspecpy.results import RunResult
from tests.conftest import run_cli, write_profile
from tests.unit.reporters.support import (
    SECRET, all_kinds_profile, assert_exec_json, assert_exec_json_min, assert_junit,
)

PASSING = ("from pathlib import Path\nfrom inspecpy import control, describe\n"
           "@control('good')\ndef _():\n    Path(__file__).with_name('ran').write_text('x')\n"
           "    describe(1).should.eq(1)\n")
FILE_REPORTERS = {"json": "out.json", "json-min": "out.min.json", "yaml": "out.yml", "junit": "junit.xml",
                  "html": "report.html", "markdown": "report.md", "sarif": "out.sarif"}


def reporter_args(folder):
    return [f"{name}:{folder / file}" for name, file in FILE_REPORTERS.items()]


def assert_valid_reports(folder):
    """Every file reporter's output is strict UTF-8 and parses (and validates) as its format."""
    texts = {name: (folder / file).read_bytes().decode("utf-8") for name, file in FILE_REPORTERS.items()}
    assert_exec_json(json.loads(texts["json"]))
    assert_exec_json_min(json.loads(texts["json-min"]))
    assert yaml.safe_load(texts["yaml"])["profiles"]
    assert_junit(texts["junit"].encode("utf-8"))
    json.loads(texts["sarif"])
    data = re.search(r'id="report-data">(.*?)</script>', texts["html"], re.S).group(1)
    assert json.loads(data)["controls"]
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", texts["markdown"])
    return texts


# ------------------------------------------------------------ the command line


def test_unknown_reporter_lists_the_available_ones_and_runs_nothing(tmp_path):
    profile = write_profile(tmp_path, controls={"a.py": PASSING})
    run = run_cli("exec", profile, "--reporter", "jsonn:out.json")
    assert run.code == 1
    [line] = run.err.splitlines()
    assert line == ("inspecpy: error: unknown reporter 'jsonn' (did you mean 'json'? available: cli, html, json, "
                    "json-min, junit, markdown, progress, prometheus, sarif, yaml)")
    assert run.out == "" and not (profile / "controls" / "ran").exists()


def test_two_reporters_to_stdout_is_refused_before_running(tmp_path):
    profile = write_profile(tmp_path, controls={"a.py": PASSING})
    run = run_cli("exec", profile, "--reporter", "cli", "json", "junit:-")
    assert run.code == 1
    assert run.err.strip() == ("inspecpy: error: only one reporter can write to stdout, got: cli, json, junit "
                               "(give the others a :PATH)")
    assert run.out == "" and not (profile / "controls" / "ran").exists()


def test_two_reporters_to_one_file_is_refused(tmp_path):
    profile = write_profile(tmp_path, controls={"a.py": PASSING})
    run = run_cli("exec", profile, "--reporter", "json:r.out", "junit:./r.out", cwd=tmp_path)
    assert run.code == 1
    assert run.err.strip() == "inspecpy: error: reporters json and junit would both write ./r.out"
    assert not (tmp_path / "r.out").exists()


def test_progress_takes_no_path(tmp_path):
    profile = write_profile(tmp_path, controls={"a.py": PASSING})
    run = run_cli("exec", profile, "--reporter", "progress:p.txt")
    assert run.code == 1
    assert run.err.strip() == "inspecpy: error: reporter 'progress' draws on the terminal and writes no file: drop ':p.txt'"


@pytest.mark.parametrize("bad, reason", [
    ("a-file/out.json", "Not a directory"),
    ("a-file/sub/out.json", "Not a directory"),
    ("a-dir", "Is a directory"),
])
def test_unwritable_path_says_why_and_the_other_reports_are_written(tmp_path, bad, reason):
    profile = write_profile(tmp_path, controls={"a.py": PASSING})
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "a-dir").mkdir()
    out = tmp_path / "out"
    out.mkdir()
    run = run_cli("exec", profile, "--reporter", f"json:{tmp_path / bad}", f"junit:{out / 'junit.xml'}",
                  f"html:{out / 'report.html'}", "cli")
    assert run.code == 1  # every test passed, but a report is missing: the exit code says so
    assert run.err.strip() == f"inspecpy: error: reporter json: cannot write {tmp_path / bad}: {reason}"
    assert "Test Summary: 1 successful, 0 failures, 0 skipped" in run.out
    assert_junit((out / "junit.xml").read_bytes())
    assert (out / "report.html").stat().st_size > 1000
    assert sorted(p.name for p in out.iterdir()) == ["junit.xml", "report.html"]  # no temporary file left


def test_a_missing_folder_is_created_as_inspec_does(tmp_path):
    profile = write_profile(tmp_path, controls={"a.py": PASSING})
    run = run_cli("exec", profile, "--reporter", f"junit:{tmp_path / 'reports' / 'ci' / 'junit.xml'}")
    assert run.code == 0, run
    assert_junit((tmp_path / "reports" / "ci" / "junit.xml").read_bytes())


def test_a_reporter_that_raises_does_not_stop_the_others(tmp_path, capsys):
    class Broken(Reporter):
        name = "broken"

        def render(self, runs):
            raise ValueError("cannot render")

    class Fine(Reporter):
        name = "fine"

        def render(self, runs):
            return b"ok\n"

    run = RunResult(target="local://", platform=None, profiles=(), duration=0.0, version="0")
    specs = [ReporterSpec("broken", str(tmp_path / "a"), Broken()), ReporterSpec("fine", str(tmp_path / "b"), Fine())]
    assert write_reports(specs, [run]) is False
    assert capsys.readouterr().err == "inspecpy: error: reporter broken failed: ValueError: cannot render\n"
    assert (tmp_path / "b").read_text() == "ok\n" and not (tmp_path / "a").exists()


# ------------------------------------------------------------ what a profile can put in a report

HOSTILE = r'''
from inspecpy import control, describe
from inspecpy.resources import command

PRINT = "printf 'a\\033[31mred\\000nul\\001\\013\\377\\376 end\\r\\n'"

@control("binary-out", impact=0.5, title="Title \x1b[31mred\x1b[0m, NUL \x00, BEL \x07, lone \udcff surrogate",
         desc="desc \x0c form feed", tags={"k\x01": "v\x02"})
def _():
    describe(command(PRINT)).its("stdout").should.cmp("clean")
    describe(command(PRINT).stdout).should.be_empty()

@control("skip-\x1b", impact=0.1)
def _():
    from inspecpy import skip
    skip("reason \x00 with NUL")
'''


def test_control_characters_and_bad_utf8_keep_every_report_valid(tmp_path):
    profile = write_profile(tmp_path, controls={"hostile.py": HOSTILE})
    out = tmp_path / "out"
    out.mkdir()
    run = run_cli("exec", profile, "--reporter", "cli", *reporter_args(out))
    assert run.code == 100, run
    assert "Title \x1b[31mred" in run.out  # the terminal report too (escapes are the profile's own)
    texts = assert_valid_reports(out)
    doc = json.loads(texts["json"])
    [failed, _empty] = doc["profiles"][0]["controls"][0]["results"]
    assert "a\x1b[31mred\x00nul\x01\x0b\ufffd\ufffd end" in failed["message"]  # JSON keeps them, escaped
    assert "lone \ufffd surrogate" in doc["profiles"][0]["controls"][0]["title"]
    cases = ET.fromstring(texts["junit"].encode()).findall("testsuite/testcase")
    assert "a\\x1b[31mred\\x00nul\\x01\\x0b\ufffd\ufffd end" in cases[0].find("failure").text  # XML shows them
    assert cases[2].find("skipped").get("message") == "reason \\x00 with NUL"


def test_a_sensitive_input_appears_in_no_report(tmp_path):
    profile = all_kinds_profile(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    run = run_cli("exec", profile, "--reporter", "cli", *reporter_args(out))
    assert run.code == 100, run
    texts = assert_valid_reports(out)
    for name, text in {**texts, "cli": run.out, "stderr": run.err}.items():
        assert SECRET not in text, name
    assert "***" in texts["json"] and "Command: `echo ***`" in run.out  # redacted, not dropped
    given = tmp_path / "given"
    given.mkdir()
    override = run_cli("exec", profile, "--input", "api_token=an0ther-s3cret", "--reporter", *reporter_args(given))
    assert override.code == 100, override
    for name, file in FILE_REPORTERS.items():
        assert "an0ther-s3cret" not in (given / file).read_text(), name
