"""The ``inspecpy`` command line: parse, dispatch, and turn errors into one line.

Every error the user can cause ends as ``inspecpy: error: <what is wrong>``
on stderr with exit code 1 (or the error's own code); ``--debug`` adds the
traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from inspecpy.version import __version__
from inspecpy.commands import COMMANDS


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors exit 1, as InSpec's
        self.print_usage(sys.stderr)
        print(f"inspecpy: error: {message}", file=sys.stderr)
        raise SystemExit(1)


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
    parser = _Parser(prog="inspecpy", description="Compliance as code for systems and ML models.")
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs (also after COMMAND)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    modules = {}
    for name in COMMANDS:
        module = importlib.import_module(f"inspecpy.commands.{name}")
        before = set(subparsers.choices)
        module.add_parser(subparsers)
        for command in set(subparsers.choices) - before:
            modules[command] = module
            if "--debug" not in subparsers.choices[command]._option_string_actions:
                subparsers.choices[command].add_argument(  # `inspecpy exec … --debug` as well as `inspecpy --debug exec …`
                    "--debug", action="store_true", default=argparse.SUPPRESS,
                    help="show tracebacks (of failing controls too) and debug logs")
    return parser, modules


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv in (["--version"], ["version"]):  # the fast path: nothing else imported
        print(__version__)
        return 0
    parser, modules = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 1
    from inspecpy.redaction import configure_logging

    configure_logging(args.debug)
    from inspecpy.errors import InspecpyError

    try:
        return modules[args.command].run(args)
    except InspecpyError as error:
        if args.debug:
            raise
        print(f"inspecpy: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("inspecpy: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as error:  # a bug: still one line unless --debug
        if args.debug:
            raise
        print(f"inspecpy: error: {type(error).__name__}: {error} (run with --debug for the traceback)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
