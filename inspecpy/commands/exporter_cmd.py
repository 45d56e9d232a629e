"""``inspecpy exporter``: run profiles on a schedule and serve the results to Prometheus.

    inspecpy exporter profiles/linux-baseline -t ssh://me@web1 --listen 127.0.0.1:9477 --interval 5m

Same target, selection, input, waiver and archive options as ``exec``. Each
run happens in a child process; a scrape of ``/metrics`` answers the last
completed run from memory (see :mod:`inspecpy.run.exporter`); SIGTERM or
Ctrl-C ends the run in progress and stops the exporter.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from inspecpy.commands.exec_cmd import add_run_options
from inspecpy.commands.trust_options import add_trust_options


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("exporter", help="serve scheduled runs' results as Prometheus metrics")
    add_run_options(parser)
    add_trust_options(parser)
    group = parser.add_argument_group("exporter")
    group.add_argument("--listen", required=True, metavar="HOST:PORT",
                       help="where /metrics is served, e.g. 127.0.0.1:9477")
    group.add_argument("--interval", default="5m", metavar="DURATION",
                       help="from the start of one run to the next: 30s, 5m, 1h (default 5m); "
                            "a run that takes longer delays the next")
    group.add_argument("--max-runs", type=int, default=None, metavar="N",
                       help="stop after N runs (for tests and soaks; default: run until stopped)")


def run(args: argparse.Namespace) -> int:
    from inspecpy.errors import UsageError
    from inspecpy.run.exporter import ChildRuns, Exporter, parse_interval, parse_listen, serve
    from inspecpy.run.runner import Selection

    interval = parse_interval(args.interval)
    host, port = parse_listen(args.listen)
    if args.max_runs is not None and args.max_runs < 1:
        raise UsageError("--max-runs must be at least 1")
    Selection(controls=args.controls, tags=args.tags)  # a bad /regex/ is a usage error now, not every run
    prometheus_reporter()  # the reporter is there, and prometheus_client with it
    exporter = Exporter(ChildRuns(run_and_render, args, preload=["inspecpy.commands.exporter_preload"]), interval)
    server = serve(exporter, host, port)
    previous = {sig: signal.signal(sig, lambda *_: exporter.stopped.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    print(f"inspecpy exporter: serving http://{args.listen}/metrics, a run every {interval:g} s",
          file=sys.stderr, flush=True)

    def schedule() -> None:
        try:
            exporter.loop(max_runs=args.max_runs)
        finally:
            exporter.stopped.set()

    scheduler = threading.Thread(target=schedule, name="inspecpy-exporter-runs", daemon=True)
    scheduler.start()
    try:
        while not exporter.stopped.wait(1.0):
            pass
    finally:
        exporter.stop()  # ends the run in progress: its process is terminated
        server.shutdown()
        server.server_close()
        scheduler.join(timeout=30)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print(f"inspecpy exporter: stopped after {exporter.runs} run(s)", file=sys.stderr, flush=True)
    return 0


def run_and_render(args: argparse.Namespace):
    """One scheduled run (in the exporter's child process): load, run, render the metrics."""
    from inspecpy.redaction import configure_logging
    from inspecpy.commands.exec_cmd import execute_from_args
    from inspecpy.run.exporter import attempt

    configure_logging(args.debug)
    return attempt(lambda: execute_from_args(args).runs, prometheus_reporter().render)


def prometheus_reporter():
    """The ``prometheus`` reporter, as the plugin registry has it (it checks prometheus_client is installed)."""
    from inspecpy.plugins import registry

    return registry().reporter("prometheus")()
