"""``inspecpy import RUBY_PROFILE OUT_DIR``: rewrite an InSpec Ruby profile as an inspecpy Python profile."""

from __future__ import annotations

import sys


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("import", help="rewrite an InSpec Ruby profile as a Python profile")
    parser.add_argument("profile", metavar="RUBY_PROFILE", help="a profile folder with controls/*.rb")
    parser.add_argument("out", metavar="OUT_DIR", help="where to write the Python profile (new or empty)")


def run(args) -> int:
    from inspecpy.profile.metadata import ProfileMetadata
    from inspecpy.ruby.export import import_profile

    ProfileMetadata.read(args.profile)  # a readable inspec.yml first, with its own clear errors
    report = import_profile(args.profile, args.out)
    print(f"Wrote {len(report.files)} file(s) to {args.out}: {', '.join(report.files)}")
    for todo in report.todos:
        print(f"  TODO {todo}", file=sys.stderr)
    if report.todos:
        print(f"{len(report.todos)} place(s) need a hand: see the # TODO comments", file=sys.stderr)
    return 0
