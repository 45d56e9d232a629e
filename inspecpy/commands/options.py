"""Command-line options shared by the subcommands that talk to a target."""

from __future__ import annotations

import argparse
import os


def add_target_options(parser: argparse.ArgumentParser, many: bool = False) -> None:
    """``-t`` and the connection options (InSpec's names)."""
    group = parser.add_argument_group("target")
    if many:
        group.add_argument("-t", "--target", action="append", dest="targets", metavar="URI",
                           help="local:// (default), ssh://user@host[:port] or docker://CONTAINER; repeat for several")
        group.add_argument("--target-file", metavar="FILE", help="targets, one URI a line (# comments)")
        group.add_argument("--jobs", type=int, default=None, metavar="N",
                           help="targets run at once (default: min(16, number of targets))")
    else:
        group.add_argument("-t", "--target", dest="target", default="local://", metavar="URI")
    group.add_argument("--user", metavar="USER", help="ssh: login user when the URI has none; "
                       "docker: the user[:group] commands run as in the container")
    group.add_argument("--docker-host", metavar="URL",
                       help="the container engine for docker:// (default: DOCKER_HOST, else the local socket)")
    group.add_argument("-i", "--key-files", action="append", default=[], metavar="FILE", help="SSH private key")
    group.add_argument("--password", help="SSH password (or set INSPECPY_PASSWORD)")
    group.add_argument("--sudo", action="store_true", help="run commands with sudo")
    group.add_argument("--sudo-password", help="password for sudo (or set INSPECPY_SUDO_PASSWORD)")
    group.add_argument("--sudo-options", default="", help="extra options for sudo")
    group.add_argument("--insecure", action="store_true", help="do not check SSH host keys")
    group.add_argument("--known-hosts", metavar="FILE", help="known_hosts file (default ~/.ssh/known_hosts)")
    group.add_argument("--command-timeout", type=float, default=None, metavar="SECONDS",
                       help="fail a command that runs longer than this")
    group.add_argument("--connect-timeout", type=float, default=10.0, metavar="SECONDS")


def target_options(args: argparse.Namespace):
    """The TargetOptions the parsed *args* describe (secrets from the environment too)."""
    from inspecpy.targets.base import TargetOptions

    return TargetOptions(
        command_timeout=args.command_timeout,
        key_files=list(args.key_files),
        password=args.password or os.environ.get("INSPECPY_PASSWORD"),
        sudo=args.sudo,
        sudo_password=args.sudo_password or os.environ.get("INSPECPY_SUDO_PASSWORD"),
        sudo_options=args.sudo_options,
        insecure=args.insecure,
        known_hosts=args.known_hosts,
        connect_timeout=args.connect_timeout,
        user=args.user,
        docker_host=args.docker_host,
    )
