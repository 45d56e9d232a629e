"""Offline verification of OpenSSF model-signing bundles, by key, certificate chain or identity.

The OpenSSF tool (``model_signing sign key|certificate|sigstore``) writes a
Sigstore bundle whose DSSE envelope carries an in-toto statement listing a
digest for every file of the model.  :func:`verify` checks, offline:

1. who signed: the given public key (:mod:`.key`), a chain up to the given
   CA certificates (:mod:`.certificate`), or a Sigstore keyless
   certificate for the given OIDC identity and issuer, with its Rekor
   entry (:mod:`.keyless`, sigstore-python);
2. the statement (:mod:`.manifest`): every file of the model, read through
   its opener, hashes to its signed digest; none is missing, none added
   (paths the signer ignored, ``.git`` files and ``ignore`` excepted).

Example::

    >>> v = verify(b"not json", [], public_key=b"")
    >>> v.ok, v.reason
    (False, 'signature is not JSON: Expecting value: line 1 column 1 (char 0)')
"""

from __future__ import annotations

from collections.abc import Iterable

from inspecpy.digests import stream_sha256
from inspecpy.ml.files import Entry
from inspecpy.ml.signing.bundle import read_bundle
from inspecpy.ml.signing.manifest import (GIT_PATHS, SigningFailure, compare, ignored, manifest, root_digest,
                                          statement)
from inspecpy.verdict import Verdict

__all__ = ["SigningFailure", "tree_digest", "verify"]


def verify(signature: bytes, entries: Iterable[Entry], *, public_key: bytes | None = None,
           certificate_chain: bytes | None = None, identity: str | None = None,
           issuer: str | None = None, signature_path: str | None = None,
           ignore: Iterable[str] = ()) -> Verdict:
    """Verify a model against a model-signing bundle; exactly one way of trusting the signer.

    ``entries`` are the model's ``(relative_path, opener)`` pairs, a single
    ``(".", opener)`` for a one-file model (see :mod:`inspecpy.ml.files`);
    ``public_key`` is PEM/DER bytes, ``certificate_chain`` PEM CA
    certificate(s), ``identity``/``issuer`` the Sigstore signer;
    ``signature_path`` is the signature's path relative to the model folder
    when it lies inside it; ``ignore`` lists relative paths left out.
    """
    try:
        payload_type, payload, who = _signer(signature, public_key, certificate_chain, identity, issuer)
        expected, serialization = manifest(statement(payload_type, payload))
        skipped = [p.strip("/") for p in serialization.get("ignore_paths", [])] + list(GIT_PATHS)
        skipped += [p.strip("/") for p in ignore]
        if signature_path:
            skipped.append(signature_path.strip("/"))
        files = {rel: op for rel, op in entries if not ignored(rel, skipped)}
        problems = compare(expected, files, serialization)
    except SigningFailure as e:
        return Verdict(False, str(e))
    if problems:
        return Verdict(False, "; ".join(problems))
    return Verdict(True, f"signature by {who} verified; {len(files)} file(s) match the signed digests")


def _signer(raw: bytes, public_key, certificate_chain, identity, issuer) -> tuple[str, bytes, str]:
    given = [n for n, v in (("public_key", public_key), ("certificate_chain", certificate_chain),
                            ("identity", identity)) if v is not None]
    if len(given) != 1:
        raise SigningFailure("give exactly one of public_key, certificate_chain or identity (with issuer)"
                             + (f", not {' and '.join(given)}" if given else ""))
    if identity is not None and not issuer:
        raise SigningFailure("a Sigstore identity needs its OIDC issuer (issuer=...)")
    _bundle, env, material = read_bundle(raw)
    if identity is not None:
        from inspecpy.ml.signing.keyless import verify_keyless

        return verify_keyless(raw, material, identity, issuer)
    if certificate_chain is not None:
        from inspecpy.ml.signing.certificate import verify_chain

        return env.payload_type, env.payload, verify_chain(env, material, certificate_chain)
    from inspecpy.ml.signing.key import verify_key

    return env.payload_type, env.payload, verify_key(env, material, public_key)


def tree_digest(entries: Iterable[Entry]) -> str:
    """SHA-256 of a model folder: over its files' SHA-256 digests in path order.

    It equals the subject digest ``model_signing`` writes for the folder
    (file serialization, SHA-256, ``.git`` paths ignored).
    """
    files = sorted(((rel.split("/"), op) for rel, op in entries if not ignored(rel, GIT_PATHS)),
                   key=lambda t: t[0])
    return root_digest(_sha256(opener) for _, opener in files)


def _sha256(opener) -> str:
    with opener() as stream:
        return stream_sha256(stream)
