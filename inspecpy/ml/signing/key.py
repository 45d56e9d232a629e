"""Key-based bundles (``model_signing sign key``): ECDSA over the DSSE envelope.

Example::

    >>> load_key(b"nope")
    Traceback (most recent call last):
    ...
    inspecpy.ml.signing.manifest.SigningFailure: public key cannot be read (PEM or DER expected): ...
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from inspecpy.ml.signing.bundle import Envelope
from inspecpy.ml.signing.manifest import SigningFailure


def load_key(public_key: bytes):
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        if b"BEGIN CERTIFICATE" in public_key:
            return x509.load_pem_x509_certificate(public_key).public_key()
        if b"-----BEGIN" in public_key:
            return serialization.load_pem_public_key(public_key)
        return serialization.load_der_public_key(public_key)
    except ValueError as e:
        raise SigningFailure(f"public key cannot be read (PEM or DER expected): {e}") from None


def key_hint(key) -> str:
    """The hint model_signing writes: SHA-256 of the key's PEM."""
    from cryptography.hazmat.primitives import serialization

    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(pem).hexdigest()


def check_envelope(key, env: Envelope, whose: str) -> None:
    """The DSSE signature verifies with ``key`` (current PAE, or the pre-1.0 tool's variant)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise SigningFailure(f"{whose} is {type(key).__name__.lstrip('_')}; model-signing keys are "
                             "elliptic-curve (P-256, P-384, P-521)")
    by_curve: dict[int, Callable[[], hashes.HashAlgorithm]] = {256: hashes.SHA256, 384: hashes.SHA384,
                                                                 521: hashes.SHA512}
    algo = by_curve.get(key.curve.key_size)
    if algo is None:
        raise SigningFailure(f"unsupported curve {key.curve.name}")
    p = env.payload_type.encode()
    pae = b"DSSEv1 %d %s %d %s" % (len(p), p, len(env.payload), env.payload)
    compat = b"DSSEV1 %d %s %d %s" % (len(p), p, len(env.payload), str(env.payload).encode())
    for message, digest in ((pae, algo()), (compat, algo()), (compat, hashes.SHA256())):
        try:
            key.verify(env.signature, message, ec.ECDSA(digest))
            return
        except InvalidSignature:
            continue
    raise SigningFailure(f"signature does not verify with {whose} "
                         "(signed by another key, or the signed statement was altered)")


def verify_key(env: Envelope, material: dict, public_key: bytes) -> str:
    """Check a key-signed envelope; returns who signed (for the report)."""
    if "publicKey" not in material:
        kind = "a certificate chain" if "x509CertificateChain" in material else "a Sigstore certificate"
        raise SigningFailure(f"the bundle is signed with {kind}, not a public key")
    key = load_key(public_key)
    hint = key_hint(key)
    bundle_hint = (material.get("publicKey") or {}).get("hint", "")
    if bundle_hint and bundle_hint != hint:
        raise SigningFailure(f"signed by a different key: the bundle names key {bundle_hint[:16]}, "
                             f"the given public key is {hint[:16]}")
    check_envelope(key, env, "the given public key")
    return f"key {hint[:16]}"
