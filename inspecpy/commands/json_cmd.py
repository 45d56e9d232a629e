"""``inspecpy json PROFILE`` (alias ``export``): the profile's metadata, inputs and controls as JSON.

The controls are the ones the profile runs, its dependencies' included ones too (as InSpec lists them)::

    inspecpy json wrapper-profile --controls /^ssh-/ -o wrapper.json
"""

from __future__ import annotations

import sys

from inspecpy.commands.trust_options import add_trust_options, trust_from_args


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("json", aliases=["export"],
                                   help="profile metadata, inputs and controls as InSpec's profile JSON")
    parser.add_argument("profile", metavar="PROFILE", help="a profile folder or archive")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    parser.add_argument("--controls", nargs="+", default=[], metavar="ID", help="only these ids (or /regex/)")
    parser.add_argument("--tags", nargs="+", default=[], metavar="TAG")
    add_trust_options(parser)


def run(args) -> int:
    import json

    from inspecpy.profile.loader import load_profile, walk_profiles
    from inspecpy.profile.export import included_controls, profile_json
    from inspecpy.run.report_output import write_atomically
    from inspecpy.run.runner import Selection

    profile = load_profile(args.profile, trust=trust_from_args(args, [args.profile]))
    selection = Selection(controls=args.controls, tags=args.tags)
    data = profile_json(profile, [c for c in included_controls(profile) if selection.selects(c)])
    text = json.dumps(data, indent=2, default=str) + "\n"
    if args.output:
        write_atomically(args.output, text.encode())
    else:
        print(text, end="")
    errors = [error for member in walk_profiles([profile]) for error in member.errors]
    for error in errors:
        print(f"inspecpy: error: {error}", file=sys.stderr)
    return 1 if errors else 0
