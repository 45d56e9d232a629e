"""InSpec's documentation sample profile (two controls, in Ruby) run as it is, and imported to Python.

The expected verdicts are InSpec's, derived from this machine's state:
``check_os_version`` runs on Linux (``only_if { os.linux? }``) and passes
only where ``uname -r`` is ``4.19.0-10-amd64``; ``check_secure_password_policy``
passes where ``/etc/login.defs`` has uncommented ``PASS_MAX_DAYS`` and
``PASS_MIN_LEN`` settings with numbers (``^`` is not required: InSpec's
regex matches anywhere, so a commented ``#PASS_MIN_LEN 8`` also counts).
"""

from __future__ import annotations

import json
import platform
import re
from pathlib import Path


from tests.conftest import run_cli


SAMPLE = Path(__file__).resolve().parent / "ruby" / "doc-sample"


def expected() -> dict[str, str]:
    defs = Path("/etc/login.defs").read_text() if Path("/etc/login.defs").exists() else ""
    policy = all(re.search(p, defs) for p in (r"PASS_MAX_DAYS\s+(\d+)", r"PASS_MIN_LEN\s+(\d+)"))
    kernel = platform.release() == "4.19.0-10-amd64"
    return {"check_os_version": "passed" if kernel else "failed",
            "check_secure_password_policy": "passed" if policy else "failed"}


def verdicts(path: Path, tmp_path: Path) -> dict[str, str]:
    report = tmp_path / f"{path.name}.json"
    result = run_cli("exec", path, "--reporter", f"json:{report}", "--no-color")
    assert result.code in (0, 100), result.err
    out = {}
    for control in json.loads(report.read_text())["profiles"][0]["controls"]:
        statuses = {r["status"] for r in control["results"]}
        out[control["id"]] = "failed" if "failed" in statuses else "passed" if "passed" in statuses else "skipped"
    return out


def test_the_sample_runs_as_it_is_with_inspecs_verdicts(tmp_path):
    assert verdicts(SAMPLE, tmp_path) == expected()


def test_the_imported_sample_gives_the_same_verdicts(tmp_path):
    out = tmp_path / "doc-sample-py"
    result = run_cli("import", SAMPLE, out)
    assert result.code == 0, result.err
    code = (out / "controls" / "example.py").read_text()
    compile(code, "example.py", "exec")
    assert "# The sample profile of InSpec's documentation" in code  # comments are kept
    assert 'only_if=lambda: os().in_family("linux")' in code
    assert 'describe(subject).its("content").should.match(r"PASS_MAX_DAYS\\s+(\\d+)")' in code
    assert verdicts(out, tmp_path) == expected()
    assert run_cli("check", out).code == 0


def test_the_sample_archived_and_described_as_json(tmp_path):
    archive = tmp_path / "sample.tar.gz"
    result = run_cli("archive", SAMPLE, "--output", archive)
    assert result.code == 0, result.err
    assert verdicts(archive, tmp_path) == expected()
    described = json.loads(run_cli("json", SAMPLE).out)
    assert [c["id"] for c in described["controls"]] == ["check_os_version", "check_secure_password_policy"]
    assert described["controls"][0]["impact"] == 0.7
