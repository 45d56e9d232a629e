"""Bundles signed with an X.509 certificate chain (``model_signing sign certificate``).

The chain in the bundle (signing certificate first) must lead to one of the
CA certificates the caller trusts; path building and validation are
``cryptography``'s X.509 verifier (RFC 5280), not hand-written.  As the
model-signing tool does, the chain is validated at the time the signing
certificate became valid (a bundle carries no trusted timestamp), and the
signing certificate must allow digital signatures or code signing.

Example::

    >>> trusted_certs(b"not a certificate")
    Traceback (most recent call last):
    ...
    inspecpy.ml.signing.manifest.SigningFailure: CA certificate(s) cannot be read (PEM expected)
"""

from __future__ import annotations

from inspecpy.ml.signing.bundle import Envelope, certificates
from inspecpy.ml.signing.key import check_envelope
from inspecpy.ml.signing.manifest import SigningFailure


def trusted_certs(pem: bytes):
    from cryptography import x509

    try:
        certs = x509.load_pem_x509_certificates(pem)
    except ValueError:
        raise SigningFailure("CA certificate(s) cannot be read (PEM expected)") from None
    if not certs:
        raise SigningFailure("no CA certificate given")
    return certs


def verify_chain(env: Envelope, material: dict, ca_pem: bytes) -> str:
    """Check a certificate-signed envelope against the trusted CA(s); returns who signed."""
    from cryptography import x509
    from cryptography.x509 import oid
    from cryptography.x509.verification import (ExtensionPolicy, PolicyBuilder, Store,
                                                VerificationError)

    if "x509CertificateChain" not in material:
        kind = "a public key" if "publicKey" in material else "a Sigstore certificate"
        raise SigningFailure(f"the bundle is signed with {kind}, not a certificate chain")
    try:
        chain = [x509.load_der_x509_certificate(c) for c in certificates(material)]
    except ValueError as e:
        raise SigningFailure(f"bundle certificate cannot be read: {e}") from None
    if not chain:
        raise SigningFailure("the bundle's certificate chain is empty")
    trusted = trusted_certs(ca_pem)
    roots = [c for c in trusted if c.issuer == c.subject]
    leaf = chain[0]
    subject = leaf.subject.rfc4514_string()
    try:
        verifier = (PolicyBuilder().store(Store(roots or trusted)).time(leaf.not_valid_before_utc)
                    .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(),
                                        ee_policy=ExtensionPolicy.permit_all())
                    .build_client_verifier())
        verifier.verify(leaf, chain[1:] + [c for c in trusted if c not in roots])
    except VerificationError as e:
        raise SigningFailure(f"the certificate chain of {subject!r} does not verify against the given "
                             f"CA ({', '.join(c.subject.rfc4514_string() for c in trusted)}): {e}") from None
    usable = False
    try:
        usable = leaf.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    except x509.ExtensionNotFound:
        pass
    if not usable:
        try:
            eku = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
            usable = oid.ExtendedKeyUsageOID.CODE_SIGNING in eku
        except x509.ExtensionNotFound:
            pass
    if not usable:
        raise SigningFailure(f"signing certificate {subject!r} is not allowed to sign "
                             "(no digitalSignature key usage, no code-signing extended key usage)")
    check_envelope(leaf.public_key(), env, f"the key of signing certificate {subject!r}")
    return f"certificate {subject!r}"
