"""``inspecpy json PROFILE`` (alias ``export``): the profile's metadata, inputs and controls as JSON."""

from __future__ import annotations

import sys

from .trust_options import add_trust_options, trust_from_args


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

    from ..profile import load_profile
    from ..profile_json import profile_json
    from ..report_output import write_atomically
    from ..runner import Selection

    profile = load_profile(args.profile, trust=trust_from_args(args, [args.profile]))
    selection = Selection(controls=args.controls, tags=args.tags)
    data = profile_json(profile, [c for c in profile.controls if selection.selects(c)])
    text = json.dumps(data, indent=2, default=str) + "\n"
    if args.output:
        write_atomically(args.output, text.encode())
    else:
        print(text, end="")
    for error in profile.errors:
        print(f"inspecpy: error: {error}", file=sys.stderr)
    return 1 if profile.errors else 0
