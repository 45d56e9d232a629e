"""The ``x509_certificate`` resource: a certificate file's subject, issuer, validity and key."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import cached_property
from typing import Any

from inspecpy.errors import TargetError
from inspecpy.resources.base import Resource
from inspecpy.resources.reading import read_required_bytes

_SHORT = {"commonName": "CN", "organizationName": "O", "organizationalUnitName": "OU", "countryName": "C",
          "stateOrProvinceName": "ST", "localityName": "L", "emailAddress": "emailAddress",
          "domainComponent": "DC", "serialNumber": "serialNumber"}


def load_certificate(data: bytes):
    """A ``cryptography`` certificate from PEM or DER bytes (the first one in a PEM bundle)."""
    from cryptography import x509

    try:
        return x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data else x509.load_der_x509_certificate(data)
    except ValueError as error:
        raise TargetError(f"not an X.509 certificate: {error}") from None


def name_fields(name) -> dict[str, str]:
    """An X.509 name as ``{"CN": ..., "O": ...}``."""
    return {_SHORT.get(a.oid._name, a.oid._name): a.value for a in name}


class X509Certificate(Resource):
    """An X.509 certificate (PEM or DER) read from the target, parsed with ``cryptography``.

    Python::

        cert = x509_certificate("/etc/ssl/certs/server.pem")
        describe(cert).its("validity_in_days").should.be_greater_than(30)
        describe(cert).its("subject.CN").should.eq("www.example.org")
        describe(cert).its("key_length").should.be_at_least(2048)

    YAML::

        - x509_certificate: /etc/ssl/certs/server.pem
          its: {validity_in_days: {be_greater_than: 30}, "issuer.O": {eq: Example CA}}
    """

    name = "x509_certificate"
    display_name = "x509_certificate"

    def __init__(self, path: str):
        super().__init__()
        self.path = path

    @property
    def resource_id(self) -> str:
        return self.path

    @property
    def exists(self) -> bool:
        return self.target.stat(self.path).exists

    @cached_property
    def _cert(self):
        return load_certificate(read_required_bytes(self.target, self.path))

    @property
    def subject(self) -> dict[str, str]:
        return name_fields(self._cert.subject)

    @property
    def subject_dn(self) -> str:
        return self._cert.subject.rfc4514_string()

    @property
    def issuer(self) -> dict[str, str]:
        return name_fields(self._cert.issuer)

    @property
    def issuer_dn(self) -> str:
        return self._cert.issuer.rfc4514_string()

    @property
    def not_before(self) -> datetime:
        return self._cert.not_valid_before_utc

    @property
    def not_after(self) -> datetime:
        return self._cert.not_valid_after_utc

    @property
    def validity_in_days(self) -> float:
        """Days until expiry from now (negative once expired)."""
        return (self.not_after - datetime.now(timezone.utc)).total_seconds() / 86400

    @property
    def serial(self) -> int:
        return self._cert.serial_number

    @property
    def version(self) -> int:
        return self._cert.version.value

    @property
    def signature_algorithm(self) -> str | None:
        oid = self._cert.signature_algorithm_oid
        return getattr(oid, "_name", None) or oid.dotted_string

    @property
    def key_algorithm(self) -> str:
        """``RSA``, ``EC``, ``Ed25519``, ``Ed448``, ``DSA``."""
        return type(self._cert.public_key()).__name__.replace("PublicKey", "").lstrip("_").replace("Elliptic", "")

    @property
    def key_length(self) -> int | None:
        """The public key's size in bits (RSA modulus, EC curve, 256 for Ed25519)."""
        key = self._cert.public_key()
        size = getattr(key, "key_size", None)
        if size is None and hasattr(key, "curve"):
            size = key.curve.key_size
        if size is None:
            size = {"Ed25519": 256, "Ed448": 456}.get(self.key_algorithm)
        return size

    @property
    def subject_alt_names(self) -> list[str]:
        from cryptography import x509

        try:
            ext = self._cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        except x509.ExtensionNotFound:
            return []
        return [f"{type(n).__name__.replace('Name', '').replace('Address', '')}:{n.value}" for n in ext.value]

    @property
    def extensions(self) -> dict[str, Any]:
        """Extension name → its value's text."""
        return {getattr(e.oid, "_name", e.oid.dotted_string): str(e.value) for e in self._cert.extensions}
