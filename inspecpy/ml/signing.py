"""Offline verification of OpenSSF model-signing bundles (``model_signing sign key``).

The OpenSSF tool (sigstore/model-transparency v1.x) writes a Sigstore
bundle whose DSSE envelope carries an in-toto statement: the subject's
digest is SHA-256 over the per-file digests listed in the predicate's
``resources``, and the predicate's ``serialization`` says how files were
hashed (``files`` or ``shards``; ``sha256``/``blake2b``/``blake3``) and
which paths were ignored (``.git``, the signature itself...).  This module
checks all of it with the ``cryptography`` package only, no network:

1. the bundle is JSON with a DSSE envelope of an in-toto payload;
2. the key hint and the ECDSA signature over the DSSE PAE match the key;
3. the statement is self-consistent (root digest over the resources);
4. every file of the model hashes to its listed digest, none is missing,
   none was added.

Example::

    >>> v = verify(b"not json", b"", [])
    >>> v.ok, v.reason
    (False, 'signature is not JSON: Expecting value: line 1 column 1 (char 0)')
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable
from inspecpy.ml.files import Entry
from inspecpy.verdict import Verdict

PAYLOAD_TYPE = "application/vnd.in-toto+json"
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://model_signing/signature/v1.0"
PREDICATE_TYPE_V01 = "https://model_signing/Digests/v0.1"
GIT_PATHS = (".git", ".gitattributes", ".github", ".gitignore")
_CHUNK = 1 << 20


class _Fail(Exception):
    pass


def verify(signature: bytes, public_key: bytes, entries: Iterable[Entry],
           signature_path: str | None = None) -> Verdict:
    """Verify a model against a model-signing bundle and a PEM public key.

    ``entries`` are the model's ``(relative_path, opener)`` pairs, a single
    ``(".", opener)`` for a one-file model (see :mod:`inspecpy.ml.files`);
    ``signature_path`` is the signature's path relative to the model folder
    when it lies inside it (it is then not part of the model).
    """
    try:
        statement, hint = _verified_statement(signature, public_key)
        expected, serialization = _manifest(statement)
        ignored = [p.strip("/") for p in serialization.get("ignore_paths", [])] + list(GIT_PATHS)
        if signature_path:
            ignored.append(signature_path.strip("/"))
        files = {rel: op for rel, op in entries if not _ignored(rel, ignored)}
        problems = _compare(expected, files, serialization)
    except _Fail as e:
        return Verdict(False, str(e))
    if problems:
        return Verdict(False, "; ".join(problems))
    return Verdict(True, f"signature by key {hint[:16] or '(no hint)'} verified; "
                         f"{len(files)} file(s) match the signed digests")


def tree_digest(entries: Iterable[Entry]) -> str:
    """SHA-256 of a model folder: over its files' SHA-256 digests in path order.

    It equals the subject digest ``model_signing`` writes for the folder
    (file serialization, SHA-256, ``.git`` paths ignored).
    """
    files = sorted(((rel.split("/"), op) for rel, op in entries if not _ignored(rel, list(GIT_PATHS))),
                   key=lambda t: t[0])
    root = hashlib.sha256()
    for _, opener in files:
        root.update(bytes.fromhex(_digest(opener, "sha256")[0]))
    return root.hexdigest()


# -- envelope and key ------------------------------------------------------------

def _load_key(public_key: bytes):
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        if b"BEGIN CERTIFICATE" in public_key:
            return x509.load_pem_x509_certificate(public_key).public_key()
        if b"-----BEGIN" in public_key:
            return serialization.load_pem_public_key(public_key)
        return serialization.load_der_public_key(public_key)
    except ValueError as e:
        raise _Fail(f"public key cannot be read (PEM or DER expected): {e}") from None


def _b64(value, what: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, TypeError, ValueError):
        raise _Fail(f"signature bundle: {what} is not base64") from None


def _pae(payload_type: str, payload: bytes) -> bytes:
    return b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type.encode(), len(payload), payload)


def _verified_statement(signature: bytes, public_key: bytes) -> tuple[dict, str]:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    try:
        bundle = json.loads(signature)
    except (ValueError, UnicodeDecodeError) as e:
        raise _Fail(f"signature is not JSON: {e}") from None
    env = bundle.get("dsseEnvelope") if isinstance(bundle, dict) else None
    if not isinstance(env, dict) or not env.get("signatures"):
        raise _Fail("signature is not a model-signing bundle (no DSSE envelope with a signature)")
    if env.get("payloadType") != PAYLOAD_TYPE:
        raise _Fail(f"DSSE payload type is {env.get('payloadType')!r}, expected {PAYLOAD_TYPE!r}")
    payload = _b64(env.get("payload"), "payload")
    sig = _b64(env["signatures"][0].get("sig"), "signature value")

    key = _load_key(public_key)
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise _Fail(f"public key is {type(key).__name__.lstrip('_')}; model-signing keys are "
                    "elliptic-curve (P-256, P-384, P-521)")
    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    hint = hashlib.sha256(pem).hexdigest()
    material = bundle.get("verificationMaterial") or {}
    bundle_hint = (material.get("publicKey") or {}).get("hint", "")
    if bundle_hint and bundle_hint != hint:
        raise _Fail(f"signed by a different key: the bundle names key {bundle_hint[:16]}, "
                    f"the given public key is {hint[:16]}")
    algo = {256: hashes.SHA256, 384: hashes.SHA384, 521: hashes.SHA512}.get(key.curve.key_size)
    if algo is None:
        raise _Fail(f"unsupported curve {key.curve.name}")
    compat = b"DSSEV1 %d %s %d %s" % (len(PAYLOAD_TYPE), PAYLOAD_TYPE.encode(), len(payload),
                                     str(payload).encode())  # model_signing < 1.0 signed this
    for message in (_pae(PAYLOAD_TYPE, payload), compat):
        try:
            key.verify(sig, message, ec.ECDSA(algo()))
            break
        except InvalidSignature:
            continue
    else:
        raise _Fail("signature does not verify with the given public key "
                    "(signed by another key, or the signed statement was altered)")
    try:
        statement = json.loads(payload)
    except ValueError as e:
        raise _Fail(f"signed payload is not JSON: {e}") from None
    if not isinstance(statement, dict) or statement.get("_type") != STATEMENT_TYPE:
        raise _Fail(f"signed payload is not an in-toto {STATEMENT_TYPE} statement")
    return statement, hint


# -- manifest ------------------------------------------------------------------

def _manifest(statement: dict) -> tuple[dict[str, str], dict]:
    """{resource name: hex digest} and the serialization parameters."""
    ptype = statement.get("predicateType")
    try:
        if ptype == PREDICATE_TYPE_V01:
            return ({s["name"]: s["digest"]["sha256"] for s in statement["subject"]},
                    {"method": "files", "hash_type": "sha256"})
        if ptype != PREDICATE_TYPE:
            raise _Fail(f"unknown predicate type {ptype!r}")
        predicate = statement["predicate"]
        serialization = dict(predicate["serialization"])
        resources = predicate["resources"]
        root = hashlib.sha256()
        for r in resources:
            root.update(bytes.fromhex(r["digest"]))
        subject_digest = statement["subject"][0]["digest"]["sha256"]
        expected = {r["name"]: r["digest"].lower() for r in resources}
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as e:
        raise _Fail(f"signed statement is malformed: {type(e).__name__}: {e}") from None
    if root.hexdigest() != subject_digest:
        raise _Fail("signed statement is inconsistent: the subject digest does not cover "
                    "the listed file digests")
    return expected, serialization


def _ignored(rel: str, ignored: list[str]) -> bool:
    return any(rel == p or rel.startswith(p + "/") for p in ignored if p and p != ".")


def _hasher(hash_type: str):
    if hash_type == "sha256":
        return hashlib.sha256()
    if hash_type in ("blake2", "blake2b"):
        return hashlib.blake2b()
    if hash_type == "blake3":
        try:
            import blake3
        except ImportError:
            raise _Fail("files were hashed with blake3, which is not installed") from None
        return blake3.blake3()
    raise _Fail(f"unsupported hash type {hash_type!r}")


def _digest(opener, hash_type: str, start: int = 0, end: int | None = None) -> tuple[str, int]:
    h = _hasher(hash_type)
    size = 0
    with opener() as f:
        if start:
            f.seek(start)
        left = None if end is None else end - start
        while left is None or left > 0:
            chunk = f.read(_CHUNK if left is None else min(_CHUNK, left))
            if not chunk:
                break
            h.update(chunk)
            size += len(chunk)
            if left is not None:
                left -= len(chunk)
    return h.hexdigest(), size


def _shards(name: str) -> tuple[str, int, int]:
    path, start, end = name.rsplit(":", 2)
    return path, int(start), int(end)


def _compare(expected: dict[str, str], files: dict, serialization: dict) -> list[str]:
    method = serialization.get("method", "files")
    hash_type = serialization.get("hash_type", "sha256")
    if method == "files":
        by_file = {name: [(name, 0, None)] for name in expected}
    elif method == "shards":
        by_file = {}
        try:
            for name in expected:
                path, start, end = _shards(name)
                by_file.setdefault(path, []).append((name, start, end))
        except ValueError:
            raise _Fail(f"malformed shard name {name!r} in the signed statement") from None
    else:
        raise _Fail(f"unsupported serialization method {method!r}")
    missing = sorted(set(by_file) - set(files))
    added = sorted(set(files) - set(by_file))
    if method == "shards":  # empty files have no shard
        added = [a for a in added if _digest(files[a], hash_type, 0, 1)[1] > 0]
    changed = []
    for path in sorted(set(by_file) & set(files)):
        total = 0
        for name, start, end in sorted(by_file[path], key=lambda t: t[1]):
            digest, size = _digest(files[path], hash_type, start, end)
            total = start + size
            if digest != expected[name]:
                changed.append(path)
                break
        else:
            if method == "shards" and _digest(files[path], hash_type, total, total + 1)[1]:
                changed.append(path)  # bytes appended after the last signed shard
    shown = lambda xs: ", ".join("(the model file)" if x == "." else x for x in xs)  # noqa: E731
    problems = []
    if changed:
        problems.append(f"digest mismatch (file changed): {shown(changed)}")
    if missing:
        problems.append(f"missing file(s) listed in the signature: {shown(missing)}")
    if added:
        problems.append(f"file(s) not covered by the signature (added): {shown(added)}")
    return problems
