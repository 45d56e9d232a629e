"""Sigstore keyless bundles (``model_signing sign sigstore``): OIDC identity, Fulcio, Rekor.

Everything cryptographic is sigstore-python's, offline with the trust root
it ships (``Verifier.production(offline=True)``): the Fulcio certificate
chain, the embedded SCT, the Rekor inclusion proof and signed entry
timestamp, the DSSE signature, and the identity policy (the certificate's
subject alternative name and OIDC issuer).  When verification fails, the
identity and issuer written in the certificate are read back so the
message says what was found against what was expected.

Example::

    >>> signer_identity(b"")
    ('?', '?')
"""

from __future__ import annotations

from inspecpy.ml.signing.bundle import certificates
from inspecpy.ml.signing.manifest import SigningFailure

_ISSUER_V1 = "1.3.6.1.4.1.57264.1.1"
_ISSUER_V2 = "1.3.6.1.4.1.57264.1.8"


def verify_keyless(raw: bytes, material: dict, identity: str, issuer: str) -> tuple[str, bytes, str]:
    """(payload type, payload, who signed) of a Sigstore bundle signed by ``identity`` via ``issuer``."""
    try:
        from sigstore.errors import Error as SigstoreError
        from sigstore.models import Bundle
        from sigstore.verify import Verifier, policy
    except ImportError:
        raise SigningFailure("Sigstore bundles need sigstore-python: install inspecpy[signing]") from None
    if "certificate" not in material and "x509CertificateChain" not in material:
        raise SigningFailure("the bundle is signed with a public key, not a Sigstore certificate")
    if "x509CertificateChain" in material and not material.get("tlogEntries"):
        raise SigningFailure("the bundle is signed with a certificate chain, not a Sigstore certificate "
                             "(verify it with certificate_chain=...)")
    found = signer_identity(certificates(material)[0] if certificates(material) else b"")
    try:
        bundle = Bundle.from_json(raw)
    except (SigstoreError, ValueError, TypeError, KeyError) as e:
        raise SigningFailure(f"Sigstore bundle does not parse: {e}") from None
    if found != ("?", "?") and (found[0] != identity or found[1] != issuer):
        raise SigningFailure(f"signed by identity {found[0]!r} (issuer {found[1]!r}), expected identity "
                             f"{identity!r} (issuer {issuer!r})")
    import logging

    logging.getLogger("sigstore._internal.tuf").setLevel(logging.ERROR)  # "offline mode" is what we ask
    try:
        verifier = Verifier.production(offline=True)
        payload_type, payload = verifier.verify_dsse(bundle, policy.Identity(identity=identity, issuer=issuer))
    except (SigstoreError, ValueError) as e:
        raise SigningFailure(f"Sigstore bundle of {found[0]!r} (issuer {found[1]!r}) does not verify "
                             f"offline: {e}") from None
    return payload_type, payload, f"identity {identity!r} (issuer {issuer!r})"


def signer_identity(der: bytes) -> tuple[str, str]:
    """(subject alternative name, OIDC issuer) written in a Fulcio certificate; '?' when absent."""
    from cryptography import x509

    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        return "?", "?"
    name = "?"
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        values = san.get_values_for_type(x509.RFC822Name) + san.get_values_for_type(
            x509.UniformResourceIdentifier)
        name = values[0] if values else "?"
    except x509.ExtensionNotFound:
        pass
    issuer = "?"
    for ext in cert.extensions:
        if ext.oid.dotted_string in (_ISSUER_V2, _ISSUER_V1):
            value = ext.value.value
            if ext.oid.dotted_string == _ISSUER_V2 and value[:1] == b"\x0c":  # DER UTF8String
                value = value[2:] if value[1] < 0x80 else value[2 + (value[1] & 0x7F):]
            issuer = value.decode("utf-8", "replace")
            if ext.oid.dotted_string == _ISSUER_V2:
                break
    return name, issuer
