"""Benchmark (issue 15): the prometheus reporter, the exporter's /metrics under load, and a soak.

    python bench/monitoring.py                      # all three parts (about 3 minutes)
    python bench/monitoring.py --only reporter      # or: scrape, soak
    python bench/monitoring.py --soak-runs 100      # a shorter soak

1. **Reporter**: the 100,000-result run of ``bench/reporters.py`` (20,000
   controls) rendered by the prometheus reporter, median wall and CPU
   seconds (goal ≤ 1 s), beside the json reporter on the same run and the
   script a user would otherwise write (prometheus_client's ``Gauge`` with
   labels, ``.labels(...).set(1)`` per control, then ``generate_latest``).
2. **Scrape during a run**: a real ``inspecpy exporter`` with a profile of
   20,000 controls; /metrics is fetched back to back while a run is in
   progress; p50/p99/max latency (goal p99 ≤ 50 ms), beside the same
   scrape when idle and Debian's Pushgateway serving the same series.
3. **Soak**: ``inspecpy exporter --interval 0.01s --max-runs 500`` on a
   60-control profile; the RSS (``/proc/PID/status``) of the exporter and
   of its forkserver after 50 runs and after 500 (goal: growth of a few MB
   at most). It stops by itself (and is killed after ``--soak-timeout``
   seconds if it does not). Then the same runs inside this process, to
   show what a run left behind if there were no process per run.

Asserts nothing; prints figures.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import importlib.util
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.integration.exporter_process import ExporterProcess  # noqa: E402
from tests.servers.prometheus import Pushgateway  # noqa: E402


def synthetic_run(results: int):
    """The run bench/reporters.py builds (20,000 controls × 5 results for 100,000)."""
    spec = importlib.util.spec_from_file_location("bench_reporters", ROOT / "bench" / "reporters.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_run(results, 5)


def timed(fn, repeat: int = 3) -> tuple[float, float, object]:
    """Median wall and CPU seconds of *fn()* over *repeat* calls, and its last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def by_hand(run) -> bytes:
    """What a user would write without the reporter: a labelled Gauge set per control."""
    from prometheus_client import CollectorRegistry, Gauge, generate_latest

    registry = CollectorRegistry()
    gauge = Gauge("inspecpy_control_status", "status", ["target", "profile", "control", "impact", "status"],
                  registry=registry)
    for profile in run.profiles:
        for control in profile.controls:
            gauge.labels(run.target, profile.name, control.id, str(control.impact), control.status).set(1)
    return generate_latest(registry)


def bench_reporter(results: int) -> None:
    from inspecpy.reporters.json import JsonReporter
    from inspecpy.reporters.prometheus import PrometheusReporter

    run = synthetic_run(results)
    print(f"\n1. reporter: {results} test results in {len(run.controls)} controls")
    print(f"   {'':<34} {'wall s':>7} {'cpu s':>7} {'MB':>6} {'series':>7}")
    for name, fn in (("prometheus reporter", lambda: PrometheusReporter().render([run])),
                     ("prometheus_client Gauge by hand", lambda: by_hand(run)),
                     ("json reporter (same run)", lambda: JsonReporter().render([run]))):
        wall, cpu, data = timed(fn)
        lines = sum(1 for line in data.splitlines() if not line.startswith(b"#")) if name.startswith("prom") else 0
        print(f"   {name:<34} {wall:7.2f} {cpu:7.2f} {len(data) / 1e6:6.1f} {lines or '':>7}")
    print("   goal: prometheus reporter <= 1 s")


# -- 2. /metrics while a run is in progress ----------------------------------------------------------------


def big_profile(folder: Path, controls: int, per_file: int = 200) -> Path:
    """A profile of *controls* trivial controls (one check each), *per_file* to a control file."""
    profile = folder / f"big{controls}"
    (profile / "controls").mkdir(parents=True, exist_ok=True)
    (profile / "inspec.yml").write_text(f"name: big{controls}\n")
    for first in range(0, controls, per_file):
        body = ["from inspecpy import control, describe", ""]
        for n in range(first, min(controls, first + per_file)):
            impact = (0.3, 0.5, 0.7, 1.0)[n % 4]
            body.append(f'@control("ctl-{n:05d}", impact={impact}, tags={{"cis": ["{n}.1"]}})\n'
                        f"def _():\n    describe({n % 13}).should.be_less_than(12)\n")
        (profile / "controls" / f"part{first // per_file:04d}.py").write_text("\n".join(body))
    return profile


def fetch(url: str, gzipped: bool = False) -> tuple[float, bytes]:
    """Seconds to the last byte of *url*'s body, and the body (decompressed): a scrape as Prometheus makes it
    (``Accept-Encoding: gzip``) when *gzipped*."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzipped else {})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as reply:
        data = reply.read()
        packed = reply.headers.get("Content-Encoding") == "gzip"
    seconds = time.perf_counter() - started
    return seconds, gzip.decompress(data) if packed else data


def metric(text: str, name: str) -> float | None:
    found = re.search(rf"^{name} (\S+)$", text, re.M)
    return float(found.group(1)) if found else None


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return (f"n={len(ordered):<5} p50 {p(0.50) * 1000:6.1f} ms  p99 {p(0.99) * 1000:6.1f} ms  "
            f"max {ordered[-1] * 1000:6.1f} ms")


def rss_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1))


def children_rss_kb(parent: int) -> int:
    """RSS of *parent*'s children (the exporter's forkserver), 0 when none."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                total += rss_kb(int(stat.parent.name))
        except (OSError, ValueError, IndexError, AttributeError):
            continue
    return total


def wait_metric(exporter: ExporterProcess, name: str, at_least: float, timeout: float) -> str:
    """The first /metrics text where *name* is at least *at_least*."""
    return exporter.wait_until(lambda text: (metric(text, name) or 0) >= at_least, f"{name} >= {at_least}", timeout)


def bench_scrape(controls: int, folder: Path) -> None:
    print(f"\n2. /metrics of `inspecpy exporter` with {controls} controls")
    profile = big_profile(folder, controls)
    exporter = ExporterProcess.start(folder / "exporter", str(profile), "--interval", "1s", wait=False)
    url = f"{exporter.url}/metrics"
    try:
        text = wait_metric(exporter, "inspecpy_exporter_runs_total", 1, timeout=600)
        series = sum(1 for line in text.splitlines() if line.startswith("inspecpy_control_status"))
        run_s = metric(text, "inspecpy_exporter_last_run_duration_seconds")
        during: dict[bool, list[float]] = {True: [], False: []}
        deadline = time.monotonic() + 3 * (run_s or 10) + 10
        while min(len(v) for v in during.values()) < 300 and time.monotonic() < deadline:
            for gzipped in (True, False):
                seconds, data = fetch(url, gzipped)
                if metric(data.decode(), "inspecpy_exporter_run_in_progress"):
                    during[gzipped].append(seconds)
        size = len(data) / 1e6
    finally:
        exporter.stop()
    print(f"   {series} control series, {size:.1f} MB a scrape; one run takes {run_s:.1f} s")
    print(f"   during a run, gzip (as Prometheus scrapes): {percentiles(during[True])}   (goal: p99 <= 50 ms)")
    print(f"   during a run, plain text:                   {percentiles(during[False])}")
    from inspecpy.reporters.prometheus import PrometheusReporter
    from inspecpy.results import ControlResult, ProfileResult, RunResult, TestResult

    fake = RunResult("local://", None, (ProfileResult(name="big", controls=tuple(
        ControlResult(id=f"ctl-{n:05d}", title=None, desc=None, impact=0.5, tags={"cis": [f"{n}.1"]},
                      results=(TestResult("passed", "d"),)) for n in range(controls))),), 1.0, "0")
    gateway = Pushgateway.start_new(folder / "pgw")
    try:
        PrometheusReporter().push(gateway.url, [fake])
        times = [fetch(f"{gateway.url}/metrics", gzipped=True)[0] for _ in range(100)]
    finally:
        gateway.stop()
    print(f"   Pushgateway 1.5 serving the same series, gzip:  {percentiles(times)}")


# -- 3. soak ----------------------------------------------------------------------------------------------


def bench_soak(runs: int, folder: Path, timeout: float) -> None:
    print(f"\n3. soak: {runs} exporter runs at --interval 0.01s, RSS of the exporter process")
    profile = big_profile(folder / "soak", 60)
    exporter = ExporterProcess.start(folder / "soak-exporter", str(profile), "--interval", "0.01s",
                                     "--max-runs", str(runs), wait=False)
    pid = exporter.process.pid
    started = time.monotonic()
    samples: list[tuple[int, int, int]] = []
    try:
        checkpoints = sorted({min(runs, n) for n in (1, 10, 50, 100, 200, 300, 400, 500, runs) if n <= runs})
        for mark in checkpoints:
            remaining = timeout - (time.monotonic() - started)
            if remaining <= 0:
                print(f"   stopped: --soak-timeout {timeout:g} s reached")
                break
            target = mark if mark < runs else runs - 1  # the last: read RSS just before it ends by itself
            try:
                text = wait_metric(exporter, "inspecpy_exporter_runs_total", target, timeout=remaining)
                samples.append((int(metric(text, "inspecpy_exporter_runs_total")), rss_kb(pid), children_rss_kb(pid)))
            except (AssertionError, FileNotFoundError):
                break
        code = exporter.process.wait(timeout=max(1.0, timeout - (time.monotonic() - started)))
    except subprocess.TimeoutExpired:
        code = None
    finally:
        exporter.stop()
    elapsed = time.monotonic() - started
    for done, rss, forkserver in samples:
        print(f"   after {done:4d} runs: RSS {rss / 1024:6.1f} MB (its forkserver: {forkserver / 1024:5.1f} MB)")
    warm = next((s for s in samples if s[0] >= 50), samples[0] if samples else None)
    if samples and warm:
        last = samples[-1]
        print(f"   growth from run {warm[0]} to run {last[0]}: exporter {(last[1] - warm[1]) / 1024:+.1f} MB, "
              f"forkserver {(last[2] - warm[2]) / 1024:+.1f} MB (goal: a few MB at most); "
              f"{elapsed:.0f} s in all, {elapsed / max(1, last[0]):.2f} s a run; exit code {code}")


def bench_soak_in_process(runs: int, folder: Path) -> None:
    """The same runs inside one process (what the exporter would do without a process per run)."""
    from inspecpy.cli import build_parser
    from inspecpy.commands.exporter_cmd import run_and_render

    profile = big_profile(folder / "soak-in", 60)
    args = build_parser()[0].parse_args(["exporter", str(profile), "--listen", "127.0.0.1:1"])
    rss = lambda: int(re.search(r"^VmRSS:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M).group(1))  # noqa: E731
    marks, started = {}, time.monotonic()
    for done in range(1, runs + 1):
        run_and_render(args)
        if done in (1, 50, runs):
            marks[done] = rss()
    elapsed = time.monotonic() - started
    print(f"   the same {runs} runs in one process (no child): RSS after 1 run {marks[1] / 1024:.1f} MB, "
          f"after 50 {marks[50] / 1024:.1f} MB, after {runs} {marks[runs] / 1024:.1f} MB "
          f"({(marks[runs] - marks[50]) / 1024:+.1f} MB from run 50); {elapsed / runs:.2f} s a run")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("reporter", "scrape", "soak"))
    parser.add_argument("--results", type=int, default=100_000)
    parser.add_argument("--controls", type=int, default=20_000)
    parser.add_argument("--soak-runs", type=int, default=500)
    parser.add_argument("--soak-timeout", type=float, default=600)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        if args.only in (None, "reporter"):
            bench_reporter(args.results)
        if args.only in (None, "scrape"):
            bench_scrape(args.controls, Path(temp))
        if args.only in (None, "soak"):
            bench_soak(args.soak_runs, Path(temp), args.soak_timeout)
            bench_soak_in_process(args.soak_runs, Path(temp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
