"""``inspecpy archive PROFILE [-o FILE] [--sign KEY]``: a reproducible, verifiable .tar.gz.

The profile is checked first (an invalid profile is not archived); its
dependencies are vendored into ``vendor/`` so the archive runs anywhere.
"""

from __future__ import annotations

import sys


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("archive", help="package a profile as a .tar.gz with checksums (+ signature)")
    parser.add_argument("profile", metavar="PROFILE")
    parser.add_argument("-o", "--output", metavar="FILE", help="default: NAME-VERSION.tar.gz here")
    parser.add_argument("--sign", metavar="KEY", help="Ed25519 private key (from `inspecpy keys generate`)")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output file")


def run(args) -> int:
    import hashlib
    import os

    from inspecpy.profile.archive import build_archive, default_archive_name
    from inspecpy.profile.check import check_profile
    from inspecpy.errors import ProfileError, UsageError
    from inspecpy.profile.keys import key_id, load_private_key
    from inspecpy.run.report_output import write_atomically

    key = load_private_key(args.sign) if args.sign else None
    report, profile = check_profile(args.profile)
    if profile is None or not report.valid:
        for finding in report.errors:
            print(f"inspecpy: error: {finding.text()}", file=sys.stderr)
        raise ProfileError(f"{args.profile}: not archived: {len(report.errors)} error(s) (see `inspecpy check`)")
    output = args.output or default_archive_name(profile)
    if os.path.exists(output) and not args.overwrite:
        raise UsageError(f"{output} already exists (use --overwrite to replace it)")
    data = build_archive(profile, key, exclude={output})
    write_atomically(output, data)
    print(f"Archived {profile.name} {profile.metadata.version or ''} to {output}".replace("  ", " "))
    print(f"sha256:    {hashlib.sha256(data).hexdigest()}")
    if key is not None:
        print(f"Signed by: key {key_id(key.public_key())}")
    return 0
