"""``inspecpy exec``: run profiles against targets, report, and exit with InSpec's codes."""

from __future__ import annotations

import argparse
import sys

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
    sel = parser.add_argument_group("selection")
    sel.add_argument("--controls", nargs="+", default=[], metavar="ID", help="ids or /regex/")
    sel.add_argument("--tags", nargs="+", default=[], metavar="TAG")
    inp = parser.add_argument_group("inputs and waivers")
    inp.add_argument("--input", nargs="+", default=[], metavar="NAME=VALUE")
    inp.add_argument("--input-file", nargs="+", default=[], metavar="FILE")
    inp.add_argument("--waiver-file", nargs="+", default=[], metavar="FILE")


def read_target_file(path: str) -> list[str]:
    """URIs from *path*, one a line; blank lines and ``#`` comments ignored."""
    from inspecpy.errors import UsageError

    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError as error:
        raise UsageError(f"cannot read --target-file {path}: {error.strerror}") from None
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


def input_overrides(args: argparse.Namespace) -> dict:
    """``--input-file`` values, then ``--input`` values on top (InSpec's precedence)."""
    from inspecpy.profile.inputs import load_input_file, parse_cli_inputs

    values: dict = {}
    for path in args.input_file:
        values.update(load_input_file(path))
    values.update(parse_cli_inputs(args.input))
    return values


def run(args: argparse.Namespace) -> int:
    import os

    from inspecpy.plugins import registry
    from inspecpy.run.report_output import parse_reporters, write_reports
    from inspecpy.reporter import ReporterOptions
    from inspecpy.results import exit_code

    interactive = sys.stdout.isatty()
    options = ReporterOptions(color=interactive and not args.no_color and "NO_COLOR" not in os.environ,
                              quiet=args.quiet, interactive=interactive)
    chosen = list(args.reporter)
    if sys.stderr.isatty() and not args.quiet and "progress" in registry().reporters \
            and not any(r.partition(":")[0] == "progress" for r in chosen):
        chosen.append("progress")  # a live line on the terminal during long runs
    specs = parse_reporters(chosen, registry().reporters, options)
    runs = execute_from_args(args, listeners=[s.reporter for s in specs])
    reports_ok = write_reports(specs, runs)
    code = exit_code(runs)
    return code if reports_ok or code == 1 else 1


def execute_from_args(args: argparse.Namespace, listeners=()) -> list:
    """Load the profiles *args* name and run them on its targets: one RunResult per target.

    Warnings and load errors go to stderr as one line each; an unreadable
    profile or a missing required input raises (a usage error).
    """
    from inspecpy.run.fleet import run_fleet
    from inspecpy.profile.loader import load_profile, walk_profiles
    from inspecpy.run.runner import Selection
    from inspecpy.profile.waivers import apply_waivers, load_waiver_files

    selection = Selection(controls=args.controls, tags=args.tags)
    overrides = input_overrides(args)
    waivers, warnings = load_waiver_files(args.waiver_file)
    trust = trust_from_args(args, args.profiles)
    profiles = [load_profile(path, overrides, trust=trust) for path in args.profiles]
    warnings += apply_waivers(profiles, waivers)
    for warning in warnings:
        print(f"inspecpy: warning: {warning}", file=sys.stderr)
    for profile in walk_profiles(profiles):
        if profile.parent is None or profile.controls:  # a dependency that runs nothing needs no inputs
            profile.inputs.check_required()
        for error in profile.errors:
            print(f"inspecpy: error: {error}", file=sys.stderr)
    uris = list(args.targets or [])
    if args.target_file:
        uris += read_target_file(args.target_file)
    runs = run_fleet(profiles, uris or ["local://"], target_options(args), selection,
                     jobs=args.jobs, listeners=listeners)
    for run in runs:
        if run.error:
            print(f"inspecpy: error: {run.target}: {run.error}", file=sys.stderr)
    return runs
