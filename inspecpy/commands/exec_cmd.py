"""``inspecpy exec``: run profiles against targets, report, and exit with InSpec's codes."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from inspecpy.commands.options import add_target_options, target_options
from inspecpy.commands.trust_options import add_trust_options, trust_from_args


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("exec", help="run profiles against targets")
    add_run_options(parser)
    out = parser.add_argument_group("output")
    out.add_argument("--reporter", nargs="+", default=["cli"], metavar="NAME[:PATH]")
    out.add_argument("--no-color", action="store_true")
    out.add_argument("-q", "--quiet", action="store_true")
    add_trust_options(parser)


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """What to run, where, with which inputs and waivers (``exec`` and ``exporter`` alike)."""
    parser.add_argument("profiles", nargs="+", metavar="PROFILE")
    add_target_options(parser, many=True)
    fleet = parser.add_argument_group("fleet on Dask distributed")
    fleet.add_argument("--cluster", metavar="URI", help="run the targets on a Dask cluster: dask://HOST:PORT, "
                       "tls://HOST:PORT, or local:N (an embedded cluster of N processes)")
    fleet.add_argument("--cluster-ca", metavar="FILE", help="CA certificate of a tls:// cluster")
    fleet.add_argument("--cluster-cert", metavar="FILE", help="this client's certificate for a tls:// cluster")
    fleet.add_argument("--cluster-key", metavar="FILE", help="this client's private key for a tls:// cluster")
    sel = parser.add_argument_group("selection")
    sel.add_argument("--controls", nargs="+", default=[], metavar="ID", help="ids or /regex/")
    sel.add_argument("--tags", nargs="+", default=[], metavar="TAG")
    inp = parser.add_argument_group("inputs and waivers")
    inp.add_argument("--input", nargs="+", default=[], metavar="NAME=VALUE")
    inp.add_argument("--input-file", nargs="+", default=[], metavar="FILE")
    inp.add_argument("--waiver-file", nargs="+", default=[], metavar="FILE")


def read_target_file(path: str) -> list[str]:
    """URIs from *path*, one a line; blank lines and ``#`` comments ignored."""
    from inspecpy.errors import read_text_file

    lines = read_text_file(path, "--target-file").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


def input_overrides(args: argparse.Namespace) -> dict:
    """``--input-file`` values, then ``--input`` values on top (InSpec's precedence)."""
    from inspecpy.api import input_values

    return input_values(args.input_file, args.input)


def cluster_tls(args: argparse.Namespace):
    """The ``--cluster-ca/-cert/-key`` files (checked here: a typo is a usage error, not a TLS failure)."""
    from inspecpy.errors import UsageError
    from inspecpy.run.dask_fleet import ClusterTls

    files = {"--cluster-ca": args.cluster_ca, "--cluster-cert": args.cluster_cert, "--cluster-key": args.cluster_key}
    for flag, path in files.items():
        if path and not os.path.isfile(path):
            raise UsageError(f"{flag} {path}: no such file")
    if any(files.values()) and not (args.cluster or "").startswith("tls://"):
        raise UsageError("--cluster-ca/--cluster-cert/--cluster-key are for a tls:// cluster (--cluster tls://HOST:PORT)")
    return ClusterTls(args.cluster_ca, args.cluster_cert, args.cluster_key)


def run(args: argparse.Namespace) -> int:
    from inspecpy.api import color_wanted
    from inspecpy.plugins import registry
    from inspecpy.reporter import ReporterOptions

    interactive = sys.stdout.isatty()
    options = ReporterOptions(color=color_wanted(interactive, args.no_color), quiet=args.quiet,
                              interactive=interactive, debug=args.debug)
    chosen = list(args.reporter)
    if sys.stderr.isatty() and not args.quiet and "progress" in registry().reporters \
            and not any(r.partition(":")[0] == "progress" for r in chosen):
        chosen.append("progress")  # a live line on the terminal during long runs
    return execute_from_args(args, reporters=chosen, reporter_options=options).exit_code


def execute_from_args(args: argparse.Namespace, reporters: Sequence[str] = (), reporter_options=None):
    """:func:`inspecpy.api.execute` with what the run options in *args* say (``exec`` and ``exporter``).

    Warnings and load errors go to stderr, one line each.
    """
    from inspecpy.api import execute
    from inspecpy.run.runner import Selection

    uris = list(args.targets or [])
    if args.target_file:
        uris += read_target_file(args.target_file)
    return execute(
        args.profiles, uris or ["local://"], options=target_options(args),
        selection=Selection(controls=args.controls, tags=args.tags), inputs=input_overrides(args),
        waiver_files=args.waiver_file, reporters=reporters, reporter_options=reporter_options,
        trust=trust_from_args(args, args.profiles), jobs=args.jobs, cluster=args.cluster,
        cluster_tls=cluster_tls(args), warn=lambda line: print(f"inspecpy: {line}", file=sys.stderr))
