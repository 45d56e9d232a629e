"""``inspecpy plugins``: what is registered, and by which plugin."""

from __future__ import annotations


def add_parser(subparsers) -> None:
    subparsers.add_parser("plugins", help="list registered resources, targets and reporters")


def run(args) -> int:
    from inspecpy.plugins import registry
    from inspecpy.shell.helptext import summary

    reg = registry()
    for title, table in (("Resources", reg.resources), ("Targets", reg.targets), ("Reporters", reg.reporters)):
        print(f"{title}:")
        for name in sorted(table):
            cls = table[name]
            print(f"  {name:<20} {reg.origins.get(cls, '?'):<32} {summary(cls)}")
    print("Plugins:")
    for name in reg.plugins:
        print(f"  {name}")
    return 0
