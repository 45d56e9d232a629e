"""``inspecpy init profile NAME [--template basic|linux|ml]`` and ``inspecpy init resource NAME``."""

from __future__ import annotations


def add_parser(subparsers) -> None:
    from inspecpy.profile.scaffold import TEMPLATES  # light: jinja2 and numpy load only when a profile is written

    parser = subparsers.add_parser("init", help="scaffold a profile or a custom resource")
    kinds = parser.add_subparsers(dest="init_kind", metavar="KIND", required=True)
    profile = kinds.add_parser("profile", help="a new profile folder that passes check and runs")
    profile.add_argument("name", metavar="NAME", help="folder to create (its last part is the profile name)")
    profile.add_argument("--template", choices=TEMPLATES, default="basic")
    profile.add_argument("--maintainer", help="default: your user name")
    profile.add_argument("--overwrite", action="store_true", help="write into an existing folder")
    resource = kinds.add_parser("resource", help="a custom resource in a profile's libraries/, with its test")
    resource.add_argument("name", metavar="NAME", help="the resource name used in controls (snake_case)")
    resource.add_argument("--profile", default=".", metavar="DIR", help="the profile folder (default: .)")
    resource.add_argument("--path", help="the file it reads (default: /etc/NAME)")
    resource.add_argument("--overwrite", action="store_true")


def run(args) -> int:
    from inspecpy.profile.scaffold import init_profile, init_resource

    if args.init_kind == "profile":
        written = init_profile(args.name, args.template, args.maintainer, args.overwrite)
        print(f"Created profile {args.name} ({args.template}):")
    else:
        written = init_resource(args.name, args.profile, args.path, args.overwrite)
        print(f"Created resource {args.name}:")
    for path in written:
        print(f"  {path}")
    if args.init_kind == "profile":
        print(f"Next: inspecpy check {args.name} && inspecpy exec {args.name}")
    return 0
