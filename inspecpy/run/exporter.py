"""Continuous compliance for Prometheus's pull model: scheduled runs, ``/metrics`` from memory.

An :class:`Exporter` runs a callable that returns the run's results, one
run at a time: the next run starts *interval* seconds after the previous
one started, or at once when that run took longer (a slow run delays the
next; two never overlap). Each completed run is rendered once into bytes;
a scrape of ``/metrics`` answers those bytes plus the exporter's own
metrics, so it never triggers a run and costs the same however many
controls there are::

    exporter = Exporter(lambda: run_fleet(...), interval=300, render=PrometheusReporter().render)
    server = serve(exporter, "127.0.0.1", 9477)      # answers at once: no results yet
    exporter.loop(stop_event)                        # until stop_event is set

A run that raises (a profile that no longer loads) is counted in
``inspecpy_exporter_run_errors_total`` and the last good results stay
served; ``inspecpy_last_success_timestamp_seconds`` says how old they are.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Sequence

from inspecpy.durations import parse_duration
from inspecpy.errors import InspecpyError, UsageError
from inspecpy.results import RunResult, exit_code

log = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def parse_interval(text: str) -> float:
    """``--interval``: seconds in ``30s``, ``5m``, ``1h`` (a usage error otherwise)."""
    try:
        return parse_duration(text)
    except ValueError as error:
        raise UsageError(f"--interval: {error}") from None


def parse_listen(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:PORT`` for IPv6) → (host, port)."""
    host, sep, port = str(text).rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise UsageError(f"--listen {text!r}: expected HOST:PORT, e.g. 127.0.0.1:9477")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    return host or "0.0.0.0", int(port)


@dataclass(frozen=True)
class RunOutcome:
    """What one scheduled run gave: rendered metrics (None when it raised) and whether it succeeded."""

    metrics: bytes | None
    ok: bool
    error: str = ""


class Exporter:
    """Runs *run* on schedule and keeps what ``/metrics`` answers.

    *render* turns a run's results into the metrics text (the prometheus
    reporter's); *clock* and *sleep* are for tests.
    """

    def __init__(self, run: Callable[[], Sequence[RunResult]], interval: float,
                 render: Callable[[Sequence[RunResult]], bytes]):
        self._run, self._render, self.interval = run, render, float(interval)
        self._results = b""  # the last good run's metrics, swapped whole (a scrape reads one reference)
        self.runs = self.errors = 0
        self.last_success = self.last_duration = 0.0
        self.last_ok = False
        self.running = False

    # -- one run -----------------------------------------------------------------------------
    def run_once(self) -> RunOutcome:
        """Run, render, and publish; a run that raises keeps the previous results."""
        started = time.perf_counter()
        self.running = True
        try:
            outcome = self._attempt()
        finally:
            self.running = False
        self.last_duration = time.perf_counter() - started
        self.runs += 1
        self.last_ok = outcome.ok
        if outcome.metrics is not None:
            self._results = outcome.metrics
        if outcome.ok:
            self.last_success = time.time()
        else:
            self.errors += 1
            print(f"inspecpy: error: exporter run {self.runs} failed: {outcome.error}", file=sys.stderr)
        return outcome

    def _attempt(self) -> RunOutcome:
        try:
            runs = self._run()
        except InspecpyError as error:  # a profile that no longer loads, a bad input file
            return RunOutcome(None, False, str(error))
        except Exception as error:  # a bug: the exporter keeps serving the last good results
            log.debug("exporter run failed", exc_info=True)
            return RunOutcome(None, False, f"{type(error).__name__}: {error}")
        metrics = self._render(runs)
        if exit_code(runs) == 1:
            problems = [f"{r.target}: {r.error}" for r in runs if r.error] + [e for r in runs for e in r.load_errors]
            return RunOutcome(metrics, False, problems[0] if problems else "the run reported an error")
        return RunOutcome(metrics, True)

    # -- the schedule ----------------------------------------------------------------------------
    def loop(self, stop: threading.Event, max_runs: int | None = None) -> None:
        """Run now, then every *interval* seconds from each run's start, until *stop* is set
        (or *max_runs* runs are done). A run longer than the interval delays the next."""
        while not stop.is_set():
            started = time.monotonic()
            self.run_once()
            if max_runs is not None and self.runs >= max_runs:
                return
            stop.wait(max(0.0, started + self.interval - time.monotonic()))

    # -- what a scrape reads ------------------------------------------------------------------------
    def metrics(self) -> bytes:
        """The last good run's metrics and the exporter's own: no run, no lock, no I/O."""
        return self._results + self._own_metrics()

    def _own_metrics(self) -> bytes:
        from prometheus_client.core import CounterMetricFamily as Counter, GaugeMetricFamily as Gauge

        from inspecpy.reporters.prometheus import render

        families = (
            Counter("inspecpy_exporter_runs", "Scheduled runs completed", value=self.runs),
            Counter("inspecpy_exporter_run_errors", "Scheduled runs that failed (a profile that does not load, "
                    "an unreachable target, a control file with errors)", value=self.errors),
            Gauge("inspecpy_exporter_last_run_success", "1 when the last run succeeded", value=int(self.last_ok)),
            Gauge("inspecpy_exporter_last_run_duration_seconds", "How long the last run took",
                  value=self.last_duration),
            Gauge("inspecpy_exporter_run_in_progress", "1 while a run is in progress", value=int(self.running)),
            Gauge("inspecpy_exporter_interval_seconds", "Seconds between the starts of two runs", value=self.interval),
            Gauge("inspecpy_last_success_timestamp_seconds",
                  "When the last successful run ended (Unix time; 0 before the first)", value=self.last_success),
        )
        return render(families)


def serve(exporter: Exporter, host: str, port: int) -> ThreadingHTTPServer:
    """Serve ``/metrics`` (and a short page at ``/``) in a background thread.

    A port already in use (or not allowed) is a one-line error.
    """

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = self.path.split("?", 1)[0]
            if path == "/metrics":
                self._answer(200, exporter.metrics(), CONTENT_TYPE)
            elif path == "/":
                self._answer(200, b"inspecpy exporter: metrics at /metrics\n", "text/plain; charset=utf-8")
            else:
                self._answer(404, b"not found: try /metrics\n", "text/plain; charset=utf-8")

        def _answer(self, code: int, body: bytes, content_type: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - scrapes are not news
            log.debug("scrape: " + format, *args)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        address_family = _family(host)

    try:
        server = Server((host, port), Handler)
    except OSError as error:
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    threading.Thread(target=server.serve_forever, name="inspecpy-exporter-http", daemon=True).start()
    return server


def _family(host: str):
    import socket

    return socket.AF_INET6 if ":" in host else socket.AF_INET
