"""The exporter's schedule and its /metrics, with runs made of plain results (the real command is in
tests/integration/test_monitoring.py)."""

from __future__ import annotations

import gzip
import threading
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from inspecpy.durations import parse_duration
from inspecpy.errors import InspecpyError, UsageError
from inspecpy.reporters.prometheus import PrometheusReporter
from inspecpy.results import ControlResult, ProfileResult, RunResult, TestResult
from inspecpy.run.exporter import ChildRuns, Exporter, RunOutcome, attempt, parse_interval, parse_listen, serve


def results(status: str = "passed", error: str | None = None) -> list[RunResult]:
    control = ControlResult(id="c1", title=None, desc=None, impact=0.5, results=(TestResult(status, "d"),))
    return [RunResult(target="local://", platform=None, profiles=(ProfileResult(name="p", controls=(control,)),),
                      duration=0.1, version="0", error=error)]


def values(data: bytes) -> dict[str, float]:
    """``name{labels}`` → value, for single-series metrics by name and control_status by its status."""
    found = {}
    for family in text_string_to_metric_families(data.decode()):
        for sample in family.samples:
            key = sample.name + (f":{sample.labels['status']}" if sample.name == "inspecpy_control_status" else "")
            found[key] = sample.value
    return found


def exporter_of(*outcomes, interval: float = 0.01) -> Exporter:
    """An exporter whose runs give *outcomes* in turn (a list of results, or an exception to raise)."""
    queue = list(outcomes)

    def run():
        outcome = queue.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    return in_process(run, interval)


def in_process(run, interval: float) -> Exporter:
    render = PrometheusReporter().render
    return Exporter(lambda: attempt(run, render), interval)


def test_before_the_first_run_only_the_exporters_own_metrics_are_served():
    metrics = values(exporter_of().metrics())
    assert metrics["inspecpy_exporter_runs_total"] == 0
    assert metrics["inspecpy_last_success_timestamp_seconds"] == 0
    assert "inspecpy_control_status:passed" not in metrics


def test_a_failed_run_keeps_the_last_good_results_and_counts_the_error(capsys):
    exporter = exporter_of(results("passed"), InspecpyError("profile p: inspec.yml: not valid YAML"),
                           results("failed"))
    exporter.run_once()
    first = values(exporter.metrics())
    assert first["inspecpy_control_status:passed"] == 1 and first["inspecpy_exporter_last_run_success"] == 1
    success = first["inspecpy_last_success_timestamp_seconds"]
    assert success > 0

    exporter.run_once()
    after_error = values(exporter.metrics())
    assert after_error["inspecpy_control_status:passed"] == 1  # the last good results, still served
    assert after_error["inspecpy_exporter_run_errors_total"] == 1
    assert after_error["inspecpy_exporter_last_run_success"] == 0
    assert after_error["inspecpy_last_success_timestamp_seconds"] == success
    assert capsys.readouterr().err == ("inspecpy: error: exporter run 2 failed: "
                                       "profile p: inspec.yml: not valid YAML\n")

    exporter.run_once()
    recovered = values(exporter.metrics())
    assert recovered["inspecpy_control_status:failed"] == 1 and "inspecpy_control_status:passed" not in recovered
    assert recovered["inspecpy_exporter_runs_total"] == 3
    assert recovered["inspecpy_exporter_last_run_success"] == 1


def test_an_unreachable_target_publishes_its_results_and_counts_as_an_error(capsys):
    exporter = exporter_of(results(error="ssh://db1: Connection refused"))
    exporter.run_once()
    metrics = values(exporter.metrics())
    assert metrics["inspecpy_target_up"] == 0
    assert metrics["inspecpy_exporter_run_errors_total"] == 1
    assert "Connection refused" in capsys.readouterr().err


def test_a_bug_in_a_run_is_an_error_not_a_crash(capsys):
    exporter = exporter_of(ZeroDivisionError("division by zero"))
    exporter.run_once()
    assert values(exporter.metrics())["inspecpy_exporter_run_errors_total"] == 1
    assert "ZeroDivisionError: division by zero" in capsys.readouterr().err


def test_the_loop_runs_one_at_a_time_and_stops_by_itself_after_max_runs():
    spans, active, overlaps = [], [0], []

    def run():
        active[0] += 1
        overlaps.append(active[0] > 1)
        threading.Event().wait(0.03)  # longer than the interval: the next run waits for this one
        active[0] -= 1
        spans.append(1)
        return results()

    exporter = in_process(run, 0.001)
    exporter.loop(max_runs=5)
    assert exporter.runs == 5 and len(spans) == 5 and not any(overlaps)


def test_stop_ends_the_loop_after_the_run_in_progress():
    def run():
        exporter.stop()
        return results()

    exporter = in_process(run, 3600)
    exporter.loop()  # would wait an hour if the stop were not seen
    assert exporter.runs == 1


# -- a process per run -----------------------------------------------------------------------------------


def child_outcome(kind: str) -> RunOutcome:
    """What the child process does (importable: forkserver children import it by name)."""
    import os
    import time

    if kind == "ok":
        return attempt(results, PrometheusReporter().render)
    if kind == "pid":
        return RunOutcome(str(os.getpid()).encode(), True)
    if kind == "nice":
        return RunOutcome(str(os.nice(0)).encode(), True)
    if kind == "crash":
        os._exit(3)
    if kind == "raise":
        raise MemoryError("out of memory")
    time.sleep(60)
    return RunOutcome(None, True)


def test_each_run_happens_in_its_own_process_and_sends_its_metrics_back():
    import os

    outcome = ChildRuns(child_outcome, "ok")()
    assert outcome.ok and b'inspecpy_control_status{control="c1"' in outcome.metrics
    pids = {ChildRuns(child_outcome, "pid")().metrics for _ in range(2)}
    assert len(pids) == 2 and str(os.getpid()).encode() not in pids
    # a run is background work: it leaves the CPU to the process answering scrapes
    assert int(ChildRuns(child_outcome, "nice")().metrics) == min(19, os.nice(0) + 10)


def test_a_run_process_that_dies_or_raises_is_a_failed_run():
    assert ChildRuns(child_outcome, "crash")() == RunOutcome(
        None, False, "the run's process ended without results (exit code 3)")
    assert ChildRuns(child_outcome, "raise")() == RunOutcome(None, False, "MemoryError: out of memory")


def test_stop_cancels_the_run_in_progress_and_does_not_count_it(capsys):
    runs = ChildRuns(child_outcome, "sleep")
    exporter = Exporter(runs, 3600)
    threading.Timer(1.0, exporter.stop).start()
    exporter.loop()  # would take a minute without the cancel
    assert exporter.runs == 0 and exporter.errors == 0
    assert capsys.readouterr().err == ""


def test_metrics_are_served_over_http_from_memory():
    exporter = exporter_of(results())
    exporter.run_once()
    server = serve(exporter, "127.0.0.1", 0)
    try:
        port = server.server_address[1]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as reply:
            assert reply.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
            assert values(reply.read())["inspecpy_control_status:passed"] == 1
        request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=5) as reply:  # as Prometheus asks
            assert reply.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(reply.read()) == exporter.metrics()
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/nope", timeout=5)
        assert missing.value.code == 404
        assert exporter.runs == 1  # scraping never ran anything
    finally:
        server.shutdown()
        server.server_close()


def test_a_port_in_use_is_one_line():
    exporter = exporter_of()
    first = serve(exporter, "127.0.0.1", 0)
    try:
        port = first.server_address[1]
        with pytest.raises(UsageError) as error:
            serve(exporter, "127.0.0.1", port)
        assert str(error.value) == f"cannot listen on 127.0.0.1:{port}: Address already in use"
    finally:
        first.shutdown()
        first.server_close()


@pytest.mark.parametrize("text, seconds", [("90", 90), ("30s", 30), ("5m", 300), ("1h30m", 5400), ("1d", 86400),
                                           ("500ms", 0.5), ("1.5h", 5400), ("2w", 1209600)])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "5 m", "m5", "0", "-1", "5y", "1h 30m", "abc"])
def test_bad_intervals_are_usage_errors(text):
    with pytest.raises(UsageError, match=r"^--interval: "):
        parse_interval(text)


def test_listen_addresses():
    assert parse_listen("127.0.0.1:9477") == ("127.0.0.1", 9477)
    assert parse_listen("[::1]:9477") == ("::1", 9477)
    assert parse_listen(":9477") == ("0.0.0.0", 9477)
    for bad in ("9477", "host:", "host:http", "host:70000"):
        with pytest.raises(UsageError, match="expected HOST:PORT"):
            parse_listen(bad)
