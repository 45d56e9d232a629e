"""``inspecpy shell [-t URI] [--profile P] [-c CODE [--format json]]``: explore a target with the DSL."""

from __future__ import annotations

import sys

from inspecpy.commands.options import add_target_options, target_options
from inspecpy.commands.trust_options import add_trust_options, trust_from_args


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("shell", help="interactive (or one-shot with -c) DSL shell on a target")
    add_target_options(parser)
    parser.add_argument("--profile", metavar="PROFILE", help="bring a profile's resources, libraries and inputs")
    parser.add_argument("-c", "--command", dest="code", metavar="CODE",
                        help="run CODE and exit: 0 passed, 100 a test failed, 101 skipped, 1 error")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="how -c prints (default text)")
    parser.add_argument("--input", nargs="+", default=[], metavar="NAME=VALUE")
    parser.add_argument("--input-file", nargs="+", default=[], metavar="FILE")
    parser.add_argument("--no-color", action="store_true")
    add_trust_options(parser)


def run(args) -> int:
    import json
    import os

    from inspecpy.profile.inputs import InputSet
    from inspecpy.redaction import redact
    from inspecpy.profile.loader import load_profile
    from inspecpy.shell import Shell
    from inspecpy.shell.repl import interact
    from inspecpy.targets import open_target
    from inspecpy.commands.exec_cmd import input_overrides

    overrides = input_overrides(args)
    profile = None
    if args.profile:
        profile = load_profile(args.profile, overrides, trust=trust_from_args(args, [args.profile]))
    inputs = None if profile else InputSet.build([], overrides)
    color = sys.stdout.isatty() and not args.no_color and "NO_COLOR" not in os.environ
    with open_target(args.target, target_options(args)) as target:
        platform = target.platform
        json_out = args.code is not None and args.format == "json"
        session = Shell(target, profile, inputs, color=color, live=not json_out)
        if args.code is not None:
            outcome = session.run(args.code)
            if json_out:
                text = json.dumps(outcome.as_json(target.name), indent=2, default=str)
                print(redact(text, session.inputs.sensitive_values()))
            return outcome.exit_code
        where = f"Profile: {profile.name}   " if profile else ""
        banner = (f"Welcome to the inspecpy shell. Target: {target.name} ({platform.name} {platform.release}, "
                  f"{platform.arch})\n{where}help() lists resources and matchers; Tab completes; Ctrl-D leaves.")
        return interact(session, banner)
