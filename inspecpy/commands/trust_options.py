"""``--trusted-key`` and ``--require-signed``: how ``exec``, ``check`` and ``shell`` treat archives."""

from __future__ import annotations

import argparse


def add_trust_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("archives")
    group.add_argument("--trusted-key", action="append", default=[], metavar="KEY.pub",
                       help="accept archives signed by this Ed25519 public key (repeatable; "
                            "keys in ~/.inspecpy/keys are trusted too)")
    group.add_argument("--require-signed", action="store_true",
                       help="refuse profiles that are not archives signed by a trusted key (exit 5)")


def trust_from_args(args: argparse.Namespace, profiles: list[str]):
    """The :class:`~inspecpy.profile.archive.Trust` the options describe; a folder under --require-signed is refused."""
    from inspecpy.profile.archive import Trust, is_archive
    from inspecpy.errors import SignatureError
    from inspecpy.profile.keys import trusted_keys

    trust = Trust(keys=trusted_keys(args.trusted_key), require_signed=args.require_signed)
    if trust.require_signed:
        for path in profiles:
            if not is_archive(path):
                raise SignatureError(f"{path}: not a signed archive (and --require-signed is set)")
    return trust
