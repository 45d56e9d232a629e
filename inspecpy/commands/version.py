"""``inspecpy version``: print the version."""

from __future__ import annotations


def add_parser(subparsers) -> None:
    subparsers.add_parser("version", help="print the version")


def run(args) -> int:
    from inspecpy.version import __version__

    print(__version__)
    return 0
