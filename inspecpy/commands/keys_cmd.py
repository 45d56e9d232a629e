"""``inspecpy keys generate``: an Ed25519 key pair for ``inspecpy archive --sign``."""

from __future__ import annotations


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("keys", help="make signing keys for profile archives")
    actions = parser.add_subparsers(dest="keys_action", metavar="ACTION", required=True)
    generate = actions.add_parser("generate", help="write NAME.key (private) and NAME.pub (public)")
    generate.add_argument("--name", default="inspecpy", help="file name stem (default: inspecpy)")
    generate.add_argument("-d", "--dir", default=".", metavar="DIR", help="where to write them (default: .)")
    generate.add_argument("--overwrite", action="store_true")


def run(args) -> int:
    from inspecpy.profile.keys import generate_key_pair, key_id, keys_dir, load_public_key

    private, public = generate_key_pair(args.name, args.dir, args.overwrite)
    print(f"Private key: {private} (keep it secret; sign with `inspecpy archive PROFILE --sign {private}`)")
    print(f"Public key:  {public} (key id {key_id(load_public_key(public))}; verify with --trusted-key {public} "
          f"or copy it to {keys_dir()})")
    return 0
