"""A Sigstore bundle as model_signing writes it: verification material and a DSSE envelope.

Example::

    >>> read_bundle(b"[1]")
    Traceback (most recent call last):
    ...
    inspecpy.ml.signing.manifest.SigningFailure: signature is not a model-signing bundle (no DSSE envelope with a signature)
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from inspecpy.ml.signing.manifest import SigningFailure


@dataclass(frozen=True)
class Envelope:
    payload_type: str
    payload: bytes
    signature: bytes


def _b64(value, what: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, TypeError, ValueError):
        raise SigningFailure(f"signature bundle: {what} is not base64") from None


def read_bundle(raw: bytes) -> tuple[dict, Envelope, dict]:
    """(bundle JSON, its DSSE envelope, its verificationMaterial)."""
    try:
        bundle = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        raise SigningFailure(f"signature is not JSON: {e}") from None
    env = bundle.get("dsseEnvelope") if isinstance(bundle, dict) else None
    if not isinstance(env, dict) or not env.get("signatures") or not isinstance(env["signatures"], list):
        raise SigningFailure("signature is not a model-signing bundle (no DSSE envelope with a signature)")
    envelope = Envelope(str(env.get("payloadType")), _b64(env.get("payload"), "payload"),
                        _b64((env["signatures"][0] or {}).get("sig"), "signature value"))
    material = bundle.get("verificationMaterial")
    return bundle, envelope, material if isinstance(material, dict) else {}


def certificates(material: dict) -> list[bytes]:
    """DER certificates of the bundle: the leaf first."""
    if "x509CertificateChain" in material:
        items = (material["x509CertificateChain"] or {}).get("certificates") or []
        return [_b64(c.get("rawBytes"), "certificate") for c in items]
    if "certificate" in material:
        return [_b64((material["certificate"] or {}).get("rawBytes"), "certificate")]
    return []
