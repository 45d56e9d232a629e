"""Ed25519 key pairs for signing profile archives (the ``cryptography`` package).

::

    private_path, public_path = generate_key_pair("ci", "keys/")   # keys/ci.key, keys/ci.pub
    key = load_private_key("keys/ci.key")
    signature = key.sign(b"manifest bytes")
    public = load_public_key("keys/ci.pub")
    key_id(public)                                                  # '3f1c9a0b7d2e4c55'

Private keys are PKCS#8 PEM written with mode 0600; public keys are
SubjectPublicKeyInfo PEM. A key id is the first 16 hex digits of the SHA-256
of the raw 32-byte public key.
"""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING

from inspecpy.errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

#: Where trusted public keys live unless ``INSPECPY_KEYS_DIR`` says otherwise.
DEFAULT_KEYS_DIR = os.path.join("~", ".inspecpy", "keys")


def raw_public(key: "Ed25519PublicKey") -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: "Ed25519PublicKey") -> str:
    """A short, stable name for *key*: 16 hex digits of the SHA-256 of its raw bytes."""
    return hashlib.sha256(raw_public(key)).hexdigest()[:16]


def public_from_raw(data: bytes) -> "Ed25519PublicKey":
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    return Ed25519PublicKey.from_public_bytes(data)


def generate_key_pair(name: str, directory: str = ".", overwrite: bool = False) -> tuple[str, str]:
    """Write ``NAME.key`` (private, 0600) and ``NAME.pub`` in *directory*; return both paths."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    os.makedirs(directory, exist_ok=True)
    private_path = os.path.join(directory, f"{name}.key")
    public_path = os.path.join(directory, f"{name}.pub")
    for path in (private_path, public_path):
        if os.path.exists(path) and not overwrite:
            raise UsageError(f"{path} already exists (use --overwrite to replace it)")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    with os.fdopen(os.open(private_path, flags, 0o600), "wb") as handle:
        handle.write(private_pem)
    os.chmod(private_path, 0o600)
    with open(public_path, "wb") as handle:
        handle.write(public_pem)
    return private_path, public_path


def _read(path: str, what: str) -> bytes:
    try:
        with open(os.path.expanduser(path), "rb") as handle:
            return handle.read()
    except OSError as error:
        raise UsageError(f"cannot read {what} {path}: {error.strerror}") from None


def load_private_key(path: str) -> "Ed25519PrivateKey":
    """The Ed25519 private key in PEM file *path* (``INSPECPY_KEY_PASSPHRASE`` if encrypted)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    passphrase = os.environ.get("INSPECPY_KEY_PASSPHRASE")
    try:
        key = serialization.load_pem_private_key(_read(path, "private key"),
                                                 password=passphrase.encode() if passphrase else None)
    except (ValueError, TypeError) as error:
        raise UsageError(f"{path}: not a usable PEM private key ({error})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(f"{path}: not an Ed25519 key (make one with `inspecpy keys generate`)")
    return key


def load_public_key(path: str) -> "Ed25519PublicKey":
    """The Ed25519 public key in PEM file *path*."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(_read(path, "public key"))
    except (ValueError, TypeError) as error:
        raise UsageError(f"{path}: not a PEM public key ({error})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise UsageError(f"{path}: not an Ed25519 public key")
    return key


def keys_dir() -> str:
    """The folder of trusted public keys: ``$INSPECPY_KEYS_DIR`` or ``~/.inspecpy/keys``."""
    return os.path.expanduser(os.environ.get("INSPECPY_KEYS_DIR") or DEFAULT_KEYS_DIR)


def trusted_keys(paths: list[str] | None = None) -> dict[str, "Ed25519PublicKey"]:
    """The trusted public keys by key id: *paths* plus every ``*.pub`` in :func:`keys_dir`."""
    found = list(paths or [])
    folder = keys_dir()
    if os.path.isdir(folder):
        found += sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".pub"))
    keys = {}
    for path in found:
        key = load_public_key(path)
        keys[key_id(key)] = key
    return keys
