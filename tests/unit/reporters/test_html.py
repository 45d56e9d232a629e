"""html: one self-contained page whose data is escaped (the browser test checks what a user sees)."""

import html as htmllib
import json
import re

from tests.conftest import run_cli, write_profile
from tests.unit.reporters.support import EXPECTED_STATUS

XSS_TITLE = "<script>window.pwned=1</script><img src=x onerror=alert(1)>"


def page_data(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_html_is_self_contained(reports):
    html = reports.text("html")
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)=', html)  # nothing loaded from anywhere
    csp = htmllib.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp
    assert html.count("<script>") == 1


def test_html_summary_and_data_match_the_run(reports):
    html = reports.text("html")
    counts = dict(re.findall(r'data-count="([a-z-]+)">(\d+)', html))
    assert counts == {"controls-passed": "1", "controls-failed": "3", "controls-skipped": "1",
                      "controls-waived": "0", "tests-passed": "3", "tests-failed": "5", "tests-skipped": "1",
                      "tests-waived": "0"}
    data = page_data(html)
    assert {c["id"]: c["s"] for c in data["controls"]} == {**EXPECTED_STATUS, "error-1": "error"}
    assert data["targets"] == ["local://"] and data["profiles"] == ["Reporter profile"]


def test_html_escapes_everything_from_the_profile(tmp_path):
    profile = write_profile(tmp_path, controls={"a.py": (
        "from inspecpy import control, describe\n"
        f"@control('x</script><b>', title={XSS_TITLE!r}, desc='a & b </textarea>', tags=['<i>t</i>'])\n"
        "def _():\n    describe('</script><script>alert(2)</script>').should.eq('y')\n")})
    out = tmp_path / "r.html"
    run = run_cli("exec", profile, "--reporter", f"html:{out}")
    assert run.code == 100, run
    html = out.read_text()
    assert "<script>window" not in html and "<img" not in html and "</script><b>" not in html
    assert html.count("</script>") == 2  # the data element's and the page script's own
    control = page_data(html)["controls"][0]
    assert control["id"] == "x</script><b>" and control["t"] == XSS_TITLE  # intact once parsed
