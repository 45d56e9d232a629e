"""``inspecpy detect``: the target's platform."""

from __future__ import annotations

from inspecpy.commands.options import add_target_options, target_options


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("detect", help="show the target's platform")
    add_target_options(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args) -> int:
    import json

    from inspecpy.targets import open_target

    with open_target(args.target, target_options(args)) as target:
        platform = target.platform
    fields = {"name": platform.name, "family": platform.family, "release": platform.release,
              "arch": platform.arch, "families": ", ".join(platform.families), "target": target.name}
    if args.format == "json":
        print(json.dumps(fields))
    else:
        for key, value in fields.items():
            print(f"{key.capitalize() + ':':<10} {value}")
    return 0
