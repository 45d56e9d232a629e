"""The signed statement of a model-signing bundle, and our own digest check of every file.

The OpenSSF tool (sigstore/model-transparency) signs an in-toto statement:
the subject's digest is SHA-256 over the per-file digests listed in the
predicate's ``resources``; ``serialization`` says how files were hashed
(``files`` or ``shards``; ``sha256``/``blake2b``/``blake3``) and which paths
the signer left out.  Every file is hashed here through its opener (so
through the target), whatever verified the signature.

Example::

    >>> import io
    >>> compare({"w.bin": hashlib.sha256(b"x").hexdigest()}, {"w.bin": lambda: io.BytesIO(b"y")}, {})
    ['digest mismatch (file changed): w.bin']
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from inspecpy.digests import BLOCK

PAYLOAD_TYPE = "application/vnd.in-toto+json"
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://model_signing/signature/v1.0"
PREDICATE_TYPE_V01 = "https://model_signing/Digests/v0.1"
GIT_PATHS = (".git", ".gitattributes", ".github", ".gitignore")


class SigningFailure(Exception):
    """Verification failed; the message says exactly what."""


def statement(payload_type: str, payload: bytes) -> dict:
    """The in-toto statement of a verified DSSE payload."""
    if payload_type != PAYLOAD_TYPE:
        raise SigningFailure(f"DSSE payload type is {payload_type!r}, expected {PAYLOAD_TYPE!r}")
    try:
        doc = json.loads(payload)
    except ValueError as e:
        raise SigningFailure(f"signed payload is not JSON: {e}") from None
    if not isinstance(doc, dict) or doc.get("_type") != STATEMENT_TYPE:
        raise SigningFailure(f"signed payload is not an in-toto {STATEMENT_TYPE} statement")
    return doc


def manifest(doc: dict) -> tuple[dict[str, str], dict]:
    """{resource name: hex digest} and the serialization parameters of a statement."""
    ptype = doc.get("predicateType")
    try:
        if ptype == PREDICATE_TYPE_V01:
            return ({s["name"]: s["digest"]["sha256"] for s in doc["subject"]},
                    {"method": "files", "hash_type": "sha256"})
        if ptype != PREDICATE_TYPE:
            raise SigningFailure(f"unknown predicate type {ptype!r}")
        predicate = doc["predicate"]
        serialization = dict(predicate["serialization"])
        resources = predicate["resources"]
        root = root_digest(r["digest"] for r in resources)
        subject_digest = doc["subject"][0]["digest"]["sha256"]
        expected = {r["name"]: r["digest"].lower() for r in resources}
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as e:
        raise SigningFailure(f"signed statement is malformed: {type(e).__name__}: {e}") from None
    if root != subject_digest:
        raise SigningFailure("signed statement is inconsistent: the subject digest does not cover "
                             "the listed file digests")
    return expected, serialization


def root_digest(hex_digests: Iterable[str]) -> str:
    """The subject digest of a model: SHA-256 over its files' digests (hex, in the order given)."""
    root = hashlib.sha256()
    for hex_digest in hex_digests:
        root.update(bytes.fromhex(hex_digest))
    return root.hexdigest()


def ignored(rel: str, paths) -> bool:
    return any(rel == p or rel.startswith(p + "/") for p in paths if p and p != ".")


def _hasher(hash_type: str):
    if hash_type == "sha256":
        return hashlib.sha256()
    if hash_type in ("blake2", "blake2b"):
        return hashlib.blake2b()
    if hash_type == "blake3":
        try:
            import blake3
        except ImportError:
            raise SigningFailure("files were hashed with blake3, which is not installed") from None
        return blake3.blake3()
    raise SigningFailure(f"unsupported hash type {hash_type!r}")


def digest(opener, hash_type: str = "sha256", start: int = 0, end: int | None = None) -> tuple[str, int]:
    """Hex digest and byte count of ``opener()``'s bytes ``[start, end)``, in any ``hash_type``
    (a whole file's SHA-256 alone is :func:`inspecpy.digests.stream_sha256`)."""
    h = _hasher(hash_type)
    size = 0
    with opener() as f:
        if start:
            f.seek(start)
        left = None if end is None else end - start
        while left is None or left > 0:
            chunk = f.read(BLOCK if left is None else min(BLOCK, left))
            if not chunk:
                break
            h.update(chunk)
            size += len(chunk)
            if left is not None:
                left -= len(chunk)
    return h.hexdigest(), size


def compare(expected: dict[str, str], files: dict, serialization: dict) -> list[str]:
    """What differs between the signed digests and the model's files (empty when nothing)."""
    method = serialization.get("method", "files")
    hash_type = serialization.get("hash_type", "sha256")
    by_file: dict[str, list[tuple[str, int, int | None]]]
    if method == "files":
        by_file = {name: [(name, 0, None)] for name in expected}
    elif method == "shards":
        by_file = {}
        for name in expected:
            try:
                path, first, last = name.rsplit(":", 2)
                by_file.setdefault(path, []).append((name, int(first), int(last)))
            except ValueError:
                raise SigningFailure(f"malformed shard name {name!r} in the signed statement") from None
    else:
        raise SigningFailure(f"unsupported serialization method {method!r}")
    missing = sorted(set(by_file) - set(files))
    added = sorted(set(files) - set(by_file))
    if method == "shards":  # empty files have no shard
        added = [a for a in added if digest(files[a], hash_type, 0, 1)[1] > 0]
    changed = []
    for path in sorted(set(by_file) & set(files)):
        total = 0
        for name, start, end in sorted(by_file[path], key=lambda t: t[1]):
            got, size = digest(files[path], hash_type, start, end)
            total = start + size
            if got != expected[name]:
                changed.append(path)
                break
        else:
            if method == "shards" and digest(files[path], hash_type, total, total + 1)[1]:
                changed.append(path)  # bytes appended after the last signed shard
    def shown(xs):
        return ", ".join("(the model file)" if x == "." else x for x in xs)
    problems = []
    if changed:
        problems.append(f"digest mismatch (file changed): {shown(changed)}")
    if missing:
        problems.append(f"missing file(s) listed in the signature: {shown(missing)}")
    if added:
        problems.append(f"file(s) not covered by the signature (added): {shown(added)}")
    return problems
