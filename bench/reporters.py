"""Benchmark: 100,000 test results through the json, junit and html reporters, then the page in Chromium.

Builds a synthetic run (20,000 controls × 5 tests: ~8 % failed with a
message, ~4 % skipped, a few errors with a backtrace, tags, code, refs),
renders each reporter, and prints its seconds (wall and CPU), output size and peak memory
above the results themselves (tracemalloc, in a second pass so timing is
not slowed). Then opens the html in headless Chromium and times first
rows shown and a filter to failed controls. Goals: ≤ 5 s for the three
reporters together, ≤ 2 s to open and filter.

    python bench/reporters.py                       # 100,000 results
    python bench/reporters.py --results 20000 --no-browser
    python bench/reporters.py --keep /tmp/bench     # keep the reports
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inspecpy.results import (
    ControlResult, Platform, ProfileResult, RunResult, SourceLocation, TestResult,
)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
CODE = '''@control("{id}", impact={impact}, title="{title}", tags={{"cis": ["{n}.1"], "web": None}})
def _():
    conf = sshd_config()
    describe(conf).its("PermitRootLogin").should.cmp("no")
    describe(conf).its("Protocol").should.cmp(2)
'''


def synthetic_run(results: int, per_control: int, seed: int = 0) -> RunResult:
    """One target, one profile, *results* test results in controls of *per_control*."""
    rng = random.Random(seed)
    controls = []
    for n in range(results // per_control):
        cid = f"ctl-{n:06d}"
        impact = rng.choice((0.0, 0.3, 0.5, 0.7, 1.0))
        title = f"Setting {n} of the SSH daemon is hardened"
        tests = []
        for k in range(per_control):
            roll = rng.random()
            start = "2024-05-01T10:00:00+00:00"
            desc = f"SSH Configuration option{k} of control {n} is expected to cmp == \"no\""
            if roll < 0.08:
                tests.append(TestResult("failed", desc, 0.0004, start,
                                        message=f"expected: \"no\"\n     got: \"yes-{k}\"\n\n(compared using `cmp` matcher)",
                                        resource="sshd_config", resource_id="/etc/ssh/sshd_config"))
            elif roll < 0.12:
                tests.append(TestResult("skipped", desc, 0.0, start, skip_message="Skipped: not on this platform"))
            elif roll < 0.121:
                tests.append(TestResult("failed", f"Control {cid}", 0.001, start, message="OSError: probe failed",
                                        exception="OSError", backtrace=("Traceback (most recent call last):\n",
                                                                        "  File \"c.py\", line 3\n", "OSError\n")))
            else:
                tests.append(TestResult("passed", desc, 0.0003, start, resource="sshd_config",
                                        resource_id="/etc/ssh/sshd_config"))
        controls.append(ControlResult(
            id=cid, title=title, desc=f"Checks option set {n} of sshd_config.", impact=impact,
            tags={"cis": [f"{n}.1"], "web": None}, refs=(f"CIS {n}.1",),
            code=CODE.format(id=cid, impact=impact, title=title, n=n),
            source_location=SourceLocation("profiles/bench/controls/sshd.py", 10 + 7 * n), results=tuple(tests)))
    profile = ProfileResult(name="bench", title="Benchmark profile", version="1.0.0", sha256="0" * 64,
                            controls=tuple(controls))
    return RunResult(target="local://", platform=Platform("debian", "debian", "12", "x86_64"), profiles=(profile,),
                     duration=12.5, version="0.1.0", start_time="2024-05-01T10:00:00+00:00")


def reporters():
    from inspecpy.reporters.html import HtmlReporter
    from inspecpy.reporters.json import JsonReporter
    from inspecpy.reporters.junit import JunitReporter

    return [("json", "out.json", JsonReporter()), ("junit", "junit.xml", JunitReporter()),
            ("html", "report.html", HtmlReporter())]


def bench_render(run: RunResult, folder: Path) -> float:
    total = cpu_total = 0.0
    print(f"{'reporter':<8} {'seconds':>8} {'cpu s':>8} {'size MB':>8} {'peak MB':>8}")
    timings = {}
    for name, file, reporter in reporters():
        gc.collect()
        started, cpu = time.perf_counter(), time.process_time()
        data = reporter.render([run])
        timings[name] = (time.perf_counter() - started, time.process_time() - cpu)
        (folder / file).write_bytes(data)
        total += timings[name][0]
        cpu_total += timings[name][1]
        del data
    for name, file, reporter in reporters():  # second pass: memory (tracing slows allocation down)
        gc.collect()
        tracemalloc.start()
        data = reporter.render([run])
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        del data
        size = (folder / file).stat().st_size
        print(f"{name:<8} {timings[name][0]:8.2f} {timings[name][1]:8.2f} {size / 1e6:8.1f} {peak / 1e6:8.1f}")
    print(f"{'total':<8} {total:8.2f} {cpu_total:8.2f}   (goal: <= 5 s; cpu s is this process's own time,"
          f" steadier on a busy machine)")
    return total


def bench_browser(page_path: Path, failed_controls: int) -> None:
    if not os.path.exists(CHROMIUM):
        print(f"browser: skipped, {CHROMIUM} not installed")
        return
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        started = time.perf_counter()
        page.goto(page_path.as_uri())
        page.wait_for_selector("#controls details.control")
        opened = time.perf_counter() - started
        started = time.perf_counter()
        page.click('.status-filter button[data-status="failed"]')
        expect(page.locator("#shown")).to_have_attribute("data-matching", str(failed_controls), timeout=30_000)
        filtered = time.perf_counter() - started
        started = time.perf_counter()
        page.fill("#f-text", "ctl-01234")
        expect(page.locator("#shown")).not_to_have_attribute("data-matching", str(failed_controls), timeout=30_000)
        searched = time.perf_counter() - started  # includes the 150 ms typing pause
        browser.close()
    print(f"browser: open {opened:.2f} s, filter to failed {filtered:.2f} s ({failed_controls} controls), "
          f"open+filter {opened + filtered:.2f} s (goal: <= 2 s); text search {searched:.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=100_000)
    parser.add_argument("--per-control", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--keep", metavar="DIR", help="write the reports here and keep them")
    args = parser.parse_args(argv)

    tracemalloc.start()
    started = time.perf_counter()
    run = synthetic_run(args.results, args.per_control)
    built, results_bytes = time.perf_counter() - started, tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    controls = run.controls
    failed = sum(1 for c in controls if c.status == "failed")
    print(f"{args.results} test results in {len(controls)} controls ({failed} failed); "
          f"results built in {built:.2f} s, {results_bytes / 1e6:.0f} MB")
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(args.keep or temp)
        folder.mkdir(parents=True, exist_ok=True)
        bench_render(run, folder)
        if not args.no_browser:
            bench_browser(folder / "report.html", failed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
