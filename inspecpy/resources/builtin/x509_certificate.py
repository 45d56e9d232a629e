"""The ``x509_certificate`` resource: a certificate file's subject, issuer, validity and key."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import cached_property
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


#: OpenSSL's names of key usages and extended key usages (what ``openssl x509 -text`` prints).
_KEY_USAGES = (("digital_signature", "Digital Signature"), ("content_commitment", "Non Repudiation"),
               ("key_encipherment", "Key Encipherment"), ("data_encipherment", "Data Encipherment"),
               ("key_agreement", "Key Agreement"), ("key_cert_sign", "Certificate Sign"), ("crl_sign", "CRL Sign"))
_EXTENDED_USAGES = {"serverAuth": "TLS Web Server Authentication", "clientAuth": "TLS Web Client Authentication",
                    "codeSigning": "Code Signing", "emailProtection": "E-mail Protection",
                    "timeStamping": "Time Stamping", "OCSPSigning": "OCSP Signing"}
_GENERAL_NAMES = {"DNSName": "DNS", "IPAddress": "IP Address", "RFC822Name": "email",
                  "UniformResourceIdentifier": "URI", "DirectoryName": "DirName", "RegisteredID": "Registered ID"}


def general_name(name) -> str:
    """A subject/issuer alternative name as OpenSSL prints it: ``DNS:example.org``, ``IP Address:10.0.0.1``."""
    value = name.value.rfc4514_string() if type(name).__name__ == "DirectoryName" else name.value
    return f"{_GENERAL_NAMES.get(type(name).__name__, type(name).__name__)}:{value}"


def extension_values(value) -> list[str]:
    """An extension's value as the items OpenSSL prints (InSpec's ``extensions`` form):
    ``BasicConstraints(ca=True, path_length=0)`` gives ``["CA:TRUE", "pathlen:0"]``."""
    from cryptography import x509

    if isinstance(value, x509.BasicConstraints):
        return [f"CA:{'TRUE' if value.ca else 'FALSE'}"] + (
            [f"pathlen:{value.path_length}"] if value.path_length is not None else [])
    if isinstance(value, x509.KeyUsage):
        items = [text for attr, text in _KEY_USAGES if getattr(value, attr)]
        if value.key_agreement:
            items += [text for attr, text in (("encipher_only", "Encipher Only"), ("decipher_only", "Decipher Only"))
                      if getattr(value, attr)]
        return items
    if isinstance(value, x509.ExtendedKeyUsage):
        return [_EXTENDED_USAGES.get(getattr(oid, "_name", ""), getattr(oid, "_name", None) or oid.dotted_string)
                for oid in value]
    if isinstance(value, (x509.SubjectAlternativeName, x509.IssuerAlternativeName)):
        return [general_name(name) for name in value]
    if isinstance(value, x509.SubjectKeyIdentifier):
        return [value.digest.hex(":").upper()]
    if isinstance(value, x509.AuthorityKeyIdentifier) and value.key_identifier is not None:
        return [value.key_identifier.hex(":").upper()]
    return [str(value)]


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
        """``DNS:www.example.org``, ``IP Address:10.0.0.1``, ``email:…``, ``URI:…`` (as OpenSSL prints them)."""
        from cryptography import x509

        try:
            ext = self._cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        except x509.ExtensionNotFound:
            return []
        return [general_name(n) for n in ext.value]

    @property
    def extensions(self) -> dict[str, list[str]]:
        """Extension name → its items as OpenSSL prints them, as InSpec gives them
        (``{"basicConstraints": ["CA:FALSE"], "keyUsage": ["Digital Signature"], …}``)."""
        return {getattr(e.oid, "_name", e.oid.dotted_string): extension_values(e.value) for e in self._cert.extensions}
