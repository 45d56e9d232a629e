"""The html report in a real headless Chromium: counts, filters, escaping, and a screenshot.

The screenshot is kept in ``test-artifacts/html-report.png`` for a person to look at.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import ROOT, run_cli, write_profile

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"
XSS_TITLE = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2; alert(2)">'

CONTROLS = f'''
from inspecpy import control, describe, skip

@control("ssh-01", impact=1.0, title="Root login is disabled", tags={{"cis": ["5.2.8"], "ssh": None}},
         refs=["https://example.org/cis"])
def _():
    describe("yes").should.cmp("no")
    describe(22).should.eq(22)

@control("ssh-02", impact=0.7, title="Protocol 2", tags=["ssh"])
def _():
    describe(2).should.eq(2)

@control("pw-01", impact=0.5, title="Password age", desc="PASS_MAX_DAYS at most 365")
def _():
    describe(99999).should.be_at_most(365)

@control("pw-02", impact=0.5, title="Password length")
def _():
    describe(14).should.be_at_least(8)

@control("net-01", impact=0.3, title="IPv6 off")
def _():
    skip("not on this platform")

@control("err-01", impact=0.9, title="A resource that raises")
def _():
    raise OSError("probe failed")

@control("xss", impact=0.1, title={XSS_TITLE!r}, desc="<iframe src=javascript:alert(3)></iframe>",
         tags=["<b>bold</b>"])
def _():
    describe("</script><script>window.__xss = 3</script>").should.eq("safe")
'''


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The html report of a real run, and the json of the same run (the expected numbers)."""
    root = tmp_path_factory.mktemp("html")
    profile = write_profile(root, name="web", controls={"c.py": CONTROLS},
                            metadata="name: web\ntitle: Web server baseline\nversion: 2.0.0\n")
    run = run_cli("exec", profile, "--reporter", f"html:{root / 'report.html'}", f"json:{root / 'out.json'}")
    assert run.code == 100, run
    controls = json.loads((root / "out.json").read_text())["profiles"][0]["controls"]
    return root / "report.html", controls


@pytest.fixture(scope="module")
def browser():
    assert os.path.exists(CHROMIUM), f"{CHROMIUM} is not installed: scripts/install-test-deps.sh installs it"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture
def page(browser, report):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("dialog", lambda dialog: (page.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("request", lambda r: r.url.startswith("file://") or page.problems.append(f"request: {r.url}"))
    yield page
    page.close()


def status_of(control: dict) -> str:
    statuses = {r["status"] for r in control["results"]}
    return "failed" if "failed" in statuses else "passed" if "passed" in statuses else "skipped"


def shown_ids(page) -> list[str]:
    return page.eval_on_selector_all("#controls details.control", "rows => rows.map(r => r.dataset.id)")


def open_report(page, report, fragment=""):
    path, _ = report
    page.goto(path.as_uri() + fragment)
    page.wait_for_selector("#controls details.control")


def test_counts_shown_match_the_run(page, report):
    open_report(page, report)
    _, controls = report
    card = page.locator('[data-scope="target"]')
    for status in ("passed", "failed", "skipped"):
        expected = sum(1 for c in controls if status_of(c) == status)
        assert card.locator(f'[data-count="controls-{status}"]').inner_text().split()[0] == str(expected)
        tests = sum(1 for c in controls for r in c["results"] if r["status"] == status)
        assert card.locator(f'[data-count="tests-{status}"]').inner_text() == str(tests)
    failures_first = sorted(controls, key=lambda c: status_of(c) != "failed")
    assert shown_ids(page) == [c["id"] for c in failures_first]
    assert page.locator("#shown").inner_text() == f"Showing {len(controls)} of {len(controls)} controls"
    assert page.problems == []


def test_filter_to_failed_shows_exactly_the_failed_controls(page, report):
    open_report(page, report)
    _, controls = report
    page.click('.status-filter button[data-status="failed"]')
    failed = [c["id"] for c in controls if status_of(c) == "failed"]
    assert shown_ids(page) == failed == ["ssh-01", "pw-01", "err-01", "xss"]
    assert page.locator("#shown").get_attribute("data-matching") == str(len(failed))
    assert "status=failed" in page.evaluate("location.hash")

    page.click('.status-filter button[data-status="error"]')
    assert shown_ids(page) == ["err-01"]
    page.click('.status-filter button[data-status="skipped"]')
    assert shown_ids(page) == ["net-01"]
    page.click('.status-filter button[data-status=""]')
    page.select_option("#f-impact", "high")
    assert shown_ids(page) == ["ssh-02"]
    page.select_option("#f-impact", "")
    page.select_option("#f-tag", "ssh")
    assert shown_ids(page) == ["ssh-01", "ssh-02"]   # failures first
    page.select_option("#f-tag", "")
    page.fill("#f-text", "password")
    expect(page.locator("#controls details.control")).to_have_count(2)  # after the typing pause
    assert shown_ids(page) == ["pw-01", "pw-02"]
    assert page.problems == []


def test_a_filtered_link_opens_filtered_and_the_chart_filters(page, report):
    open_report(page, report, "#status=failed&impact=medium")
    assert shown_ids(page) == ["pw-01"]
    assert page.locator('.status-filter button[aria-pressed="true"]').inner_text() == "Failed"
    page.click('.bar-row[data-impact="critical"] .seg.failed')
    assert shown_ids(page) == ["ssh-01", "err-01"]


def test_script_in_a_title_runs_nothing_and_shows_as_text(page, report):
    open_report(page, report)
    row = page.locator('details.control[data-id="xss"]')
    assert row.locator(".ctitle").inner_text() == XSS_TITLE
    row.locator("summary").click()
    body = row.locator(".body")
    assert "</script><script>window.__xss = 3</script> is expected to eq" in body.inner_text()
    assert "<iframe src=javascript:alert(3)></iframe>" in body.inner_text()
    assert page.evaluate("window.__xss") is None
    assert page.locator("#controls img, #controls iframe, #controls script").count() == 0
    assert page.locator("script").count() == 2  # the data and the page's own script, nothing injected
    assert page.problems == []


def test_screenshot_for_a_person_to_look_at(page, report):
    open_report(page, report)
    page.locator('details.control[data-id="ssh-01"] summary').click()
    page.locator('details.control[data-id="err-01"] summary').click()
    page.keyboard.press("Home")  # the sticky filter bar back at the top
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "html-report.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000


def test_fleet_matrix_and_waived_controls(browser, tmp_path):
    """Two targets: the control x target matrix, failures first; a cell opens that control there."""
    profile = write_profile(tmp_path, name="web", controls={"c.py": CONTROLS})
    (tmp_path / "w.yml").write_text("pw-01: {justification: accepted risk}\n")
    out = tmp_path / "fleet.html"
    run = run_cli("exec", profile, "-t", "local://", "-t", "local://", "--waiver-file", tmp_path / "w.yml",
                  "--reporter", f"html:{out}")
    assert run.code == 100, run
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(out.as_uri())
    page.wait_for_selector("#matrix tbody tr")
    rows = page.eval_on_selector_all("#matrix tbody tr", "rows => rows.map(r => r.firstChild.textContent)")
    assert rows[:3] == ["ssh-01", "err-01", "xss"] and rows[3] == "pw-01" and set(rows[4:]) == {
        "ssh-02", "pw-02", "net-01"}
    assert page.locator("#matrix tbody tr:nth-child(4) td.waived").count() == 2
    page.click('.status-filter button[data-status="waived"]')
    assert shown_ids(page) == ["pw-01", "pw-01"]
    page.locator("#matrix tbody tr:first-child td").nth(1).click()
    assert shown_ids(page) == ["ssh-01"]
    assert page.locator('details.control[data-id="ssh-01"]').get_attribute("open") is not None
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "html-fleet-report.png"), full_page=True)
    page.close()
    assert problems == []
