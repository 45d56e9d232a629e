"""Continuous compliance for Prometheus's pull model: scheduled runs, ``/metrics`` from memory.

An :class:`Exporter` runs a callable that returns the run's results, one
run at a time: the next run starts *interval* seconds after the previous
one started, or at once when that run took longer (a slow run delays the
next; two never overlap). Each completed run is rendered once into bytes;
a scrape of ``/metrics`` answers those bytes plus the exporter's own
metrics, so it never triggers a run and costs the same however many
controls there are::

    exporter = Exporter(lambda: attempt(lambda: run_fleet(...), PrometheusReporter().render), interval=300)
    server = serve(exporter, "127.0.0.1", 9477)      # answers at once: no results yet
    exporter.loop()                                  # until exporter.stop()

The exporter command runs each attempt in a child process (:class:`ChildRuns`).

A run that raises (a profile that no longer loads) is counted in
``inspecpy_exporter_run_errors_total`` and the last good results stay
served; ``inspecpy_last_success_timestamp_seconds`` says how old they are.
"""

from __future__ import annotations

import gzip
import logging
import os
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Sequence

from inspecpy.durations import parse_duration
from inspecpy.errors import InspecpyError, UsageError
from inspecpy.exposition import exposition
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


def attempt(run: Callable[[], Sequence[RunResult]], render: Callable[[Sequence[RunResult]], bytes]) -> RunOutcome:
    """One run, rendered: a run that raises (a profile that no longer loads) gives no metrics.

    A run whose exit code would be 1 (an unreachable target, a control file
    that did not load) gives its metrics and counts as failed.
    """
    try:
        runs = run()
    except InspecpyError as error:
        return RunOutcome(None, False, str(error))
    except Exception as error:  # a bug: the exporter keeps serving the last good results
        log.debug("exporter run failed", exc_info=True)
        return RunOutcome(None, False, f"{type(error).__name__}: {error}")
    metrics = render(runs)
    if exit_code(list(runs)) == 1:
        problems = [f"{r.target}: {r.error}" for r in runs if r.error] + [e for r in runs for e in r.load_errors]
        return RunOutcome(metrics, False, problems[0] if problems else "the run reported an error")
    return RunOutcome(metrics, True)


class ChildRuns:
    """Each attempt in its own process, forked from a forkserver that has inspecpy imported.

    The exporter's process only schedules and serves: a run never holds its
    GIL (compiling a large control file holds it for seconds), never grows
    its memory (the child's is returned to the system when it ends), and a
    crashing run cannot take the server down. ``target(*args)`` runs in the
    child and returns the RunOutcome; it must be importable and *args*
    picklable (as with every start method but ``fork``, a script that uses
    it needs the ``if __name__ == "__main__":`` guard; ``inspecpy`` has it).
    :meth:`cancel` ends the run in progress (SIGTERM)::

        runs = ChildRuns(run_profiles, parsed_args, preload=["inspecpy.commands.exporter_preload"])
        exporter = Exporter(runs, interval=300)
    """

    def __init__(self, target: Callable[..., RunOutcome], *args, preload: Sequence[str] = ()) -> None:
        import multiprocessing

        self.target, self.args = target, args
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(list(preload))  # modules imported once, before any fork
        self._process: Any = None  # the run in progress (a multiprocessing Process)
        self._cancelled = False
        self._lock = threading.Lock()  # a cancel never slips between start() and noting the process

    def __call__(self) -> RunOutcome:
        receive, send = self._context.Pipe(duplex=False)
        process = self._context.Process(target=_child, args=(send, self.target, self.args), daemon=True,
                                        name="inspecpy-exporter-run")
        with self._lock:
            if self._cancelled:
                return RunOutcome(None, False, "cancelled")
            process.start()
            self._process = process
        send.close()
        try:
            return receive.recv()
        except EOFError:  # it died (killed, out of memory, cancelled) before sending its outcome
            process.join()
            code = process.exitcode or 0
            how = f"signal {-code}" if code < 0 else f"exit code {code}"
            return RunOutcome(None, False, f"the run's process ended without results ({how})")
        finally:
            receive.close()
            process.join()
            self._process = None

    def cancel(self) -> None:
        """End the run in progress, and refuse to start another."""
        with self._lock:
            self._cancelled = True
            process = self._process
            if process is not None and process.is_alive():
                process.terminate()


def _child(send, target: Callable[..., RunOutcome], args: tuple) -> None:
    """The child's side of :class:`ChildRuns`: run, send the outcome, end.

    The run is background work: it yields the CPU to the exporter's process
    (``nice`` 10), so a scrape is answered promptly on a busy machine.
    """
    try:
        os.nice(10)
    except OSError:
        pass
    try:
        outcome = target(*args)
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group: the parent says it stopped
        return
    except BaseException as error:  # noqa: BLE001 - whatever happens, the parent gets one line
        outcome = RunOutcome(None, False, f"{type(error).__name__}: {error}")
    send.send(outcome)
    send.close()


@dataclass(frozen=True)
class Published:
    """What a scrape reads, replaced whole after each run (one reference: no lock, never half-updated)."""

    metrics: bytes = b""
    gzipped: bytes = gzip.compress(b"")
    runs: int = 0
    errors: int = 0
    last_ok: bool = False
    last_success: float = 0.0
    last_duration: float = 0.0


class Exporter:
    """Runs *attempt* on schedule and keeps what ``/metrics`` answers.

    *attempt* returns a :class:`RunOutcome`: ``lambda: attempt(run, render)``
    in this process, or a :class:`ChildRuns` for a process per run.
    """

    def __init__(self, attempt: Callable[[], RunOutcome], interval: float):
        self._attempt, self.interval = attempt, float(interval)
        self.published = Published()
        self.running = False
        self.stopped = threading.Event()

    @property
    def runs(self) -> int:
        return self.published.runs

    @property
    def errors(self) -> int:
        return self.published.errors

    def stop(self) -> None:
        """End the schedule (and the run in progress, when the attempt can be cancelled)."""
        self.stopped.set()
        cancel = getattr(self._attempt, "cancel", None)
        if cancel is not None:
            cancel()

    # -- one run -----------------------------------------------------------------------------
    def run_once(self) -> RunOutcome:
        """Run, and publish: a run without metrics keeps the previous results."""
        started = time.perf_counter()
        self.running = True
        try:
            outcome = self._attempt()
            if self.stopped.is_set() and outcome.metrics is None:
                return outcome  # cut short by stop(): not a run, not an error
            self._publish(outcome, time.perf_counter() - started)
        finally:
            self.running = False
        if not outcome.ok:
            print(f"inspecpy: error: exporter run {self.runs} failed: {outcome.error}", file=sys.stderr, flush=True)
        return outcome

    def _publish(self, outcome: RunOutcome, duration: float) -> None:
        before = self.published
        metrics, packed = before.metrics, before.gzipped
        if outcome.metrics is not None:
            metrics, packed = outcome.metrics, gzip.compress(outcome.metrics, compresslevel=6)
        self.published = Published(metrics, packed, before.runs + 1, before.errors + (not outcome.ok), outcome.ok,
                                   time.time() if outcome.ok else before.last_success, duration)

    # -- the schedule ----------------------------------------------------------------------------
    def loop(self, max_runs: int | None = None) -> None:
        """Run now, then every *interval* seconds from each run's start, until :meth:`stop`
        (or *max_runs* runs are done). A run longer than the interval delays the next."""
        while not self.stopped.is_set():
            started = time.monotonic()
            self.run_once()
            if max_runs is not None and self.runs >= max_runs:
                return
            self.stopped.wait(max(0.0, started + self.interval - time.monotonic()))

    # -- what a scrape reads ------------------------------------------------------------------------
    def metrics(self, gzipped: bool = False) -> bytes:
        """The last good run's metrics and the exporter's own: no run, no lock, no I/O.

        *gzipped*: as one gzip stream of two members (what Prometheus asks for;
        the run's part was compressed once, when the run ended).
        """
        published = self.published
        own = self._own_metrics(published)
        return published.gzipped + gzip.compress(own) if gzipped else published.metrics + own

    def _own_metrics(self, state: Published) -> bytes:
        from prometheus_client.core import CounterMetricFamily as Counter, GaugeMetricFamily as Gauge

        families = (
            Counter("inspecpy_exporter_runs", "Scheduled runs completed", value=state.runs),
            Counter("inspecpy_exporter_run_errors", "Scheduled runs that failed (a profile that does not load, "
                    "an unreachable target, a control file with errors)", value=state.errors),
            Gauge("inspecpy_exporter_last_run_success", "1 when the last run succeeded", value=int(state.last_ok)),
            Gauge("inspecpy_exporter_last_run_duration_seconds", "How long the last run took",
                  value=state.last_duration),
            Gauge("inspecpy_exporter_run_in_progress", "1 while a run is in progress", value=int(self.running)),
            Gauge("inspecpy_exporter_interval_seconds", "Seconds between the starts of two runs", value=self.interval),
            Gauge("inspecpy_last_success_timestamp_seconds",
                  "When the last successful run ended (Unix time; 0 before the first)", value=state.last_success),
        )
        return exposition(families)


def serve(exporter: Exporter, host: str, port: int) -> ThreadingHTTPServer:
    """Serve ``/metrics`` (and a short page at ``/``) in a background thread.

    A port already in use (or not allowed) is a one-line error.
    """

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = self.path.split("?", 1)[0]
            if path == "/metrics":
                gzipped = "gzip" in self.headers.get("Accept-Encoding", "")
                self._answer(200, exporter.metrics(gzipped), CONTENT_TYPE, "gzip" if gzipped else None)
            elif path == "/":
                self._answer(200, b"inspecpy exporter: metrics at /metrics\n", "text/plain; charset=utf-8")
            else:
                self._answer(404, b"not found: try /metrics\n", "text/plain; charset=utf-8")

        def _answer(self, code: int, body: bytes, content_type: str, encoding: str | None = None) -> None:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            if encoding:
                self.send_header("Content-Encoding", encoding)
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
