"""x509_certificate: subject, issuer, validity, key, from certificates made here."""

from __future__ import annotations

import datetime

import pytest

from inspecpy import describe
from inspecpy.resources.builtin.x509_certificate import X509Certificate


def make_cert(days: int, key_kind: str = "rsa", der: bool = False) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.x509.oid import NameOID

    key = {"rsa": lambda: rsa.generate_private_key(65537, 2048), "ec": lambda: ec.generate_private_key(ec.SECP384R1()),
           "ed25519": ed25519.Ed25519PrivateKey.generate}[key_kind]()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "www.example.org"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example")])
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Example CA")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
            .serial_number(42).not_valid_before(now - datetime.timedelta(days=max(1, 1 - days)))
            .not_valid_after(now + datetime.timedelta(days=days))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("www.example.org")]), critical=False)
            .sign(key, None if key_kind == "ed25519" else hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.DER if der else serialization.Encoding.PEM)


@pytest.fixture(scope="module")
def rsa_pem():
    return make_cert(90)


def test_certificate_fields(tmp_path, rsa_pem):
    path = tmp_path / "server.pem"
    path.write_bytes(rsa_pem)
    cert = X509Certificate(str(path))
    assert cert.subject == {"CN": "www.example.org", "O": "Example"} and cert.issuer == {"CN": "Example CA"}
    assert 89 < cert.validity_in_days <= 90
    assert (cert.key_algorithm, cert.key_length, cert.serial) == ("RSA", 2048, 42)
    assert cert.subject_alt_names == ["DNS:www.example.org"]
    assert cert.signature_algorithm == "sha256WithRSAEncryption"
    assert describe(cert).its("subject.CN").should.eq("www.example.org").status == "passed"
    assert describe(cert).its("validity_in_days").should.be_greater_than(30).status == "passed"


def test_der_ec_and_ed25519_keys(tmp_path):
    (tmp_path / "ec.der").write_bytes(make_cert(10, "ec", der=True))
    (tmp_path / "ed.pem").write_bytes(make_cert(10, "ed25519"))
    assert X509Certificate(str(tmp_path / "ec.der")).key_length == 384
    assert X509Certificate(str(tmp_path / "ed.pem")).key_algorithm == "Ed25519"
    assert X509Certificate(str(tmp_path / "ed.pem")).key_length == 256


def test_expired_certificate_fails_validity(tmp_path):
    (tmp_path / "old.pem").write_bytes(make_cert(-2))
    result = describe(X509Certificate(str(tmp_path / "old.pem"))).its("validity_in_days").should.be_greater_than(0)
    assert result.status == "failed"


def test_not_a_certificate_and_missing_file(tmp_path):
    (tmp_path / "junk.pem").write_text("-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n")
    junk = describe(X509Certificate(str(tmp_path / "junk.pem"))).its("subject").should.include("CN")
    assert junk.status == "failed" and "not an X.509 certificate" in junk.message
    missing = describe(X509Certificate(str(tmp_path / "none.pem"))).its("subject").should.include("CN")
    assert missing.status == "failed" and missing.message == f"no such file: {tmp_path / 'none.pem'}"
    assert missing.exception is None


def test_read_through_the_target(replay, rsa_pem):
    replay({"files": {"/etc/ssl/certs/s.pem": rsa_pem.decode()}})
    assert X509Certificate("/etc/ssl/certs/s.pem").subject["CN"] == "www.example.org"


def test_extensions_and_alt_names_read_as_openssl_prints_them(tmp_path):
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Example CA")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(7).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=9))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("ca.example.org"),
                                                        x509.IPAddress(ipaddress.ip_address("10.0.0.1")),
                                                        x509.RFC822Name("pki@example.org")]), critical=False)
            .sign(key, hashes.SHA256()))
    (tmp_path / "ca.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    ca = X509Certificate(str(tmp_path / "ca.pem"))
    assert ca.subject_alt_names == ["DNS:ca.example.org", "IP Address:10.0.0.1", "email:pki@example.org"]
    assert ca.extensions == {"basicConstraints": ["CA:TRUE", "pathlen:0"],
                             "keyUsage": ["Digital Signature", "Certificate Sign", "CRL Sign"],
                             "extendedKeyUsage": ["TLS Web Server Authentication"],
                             "subjectAltName": ["DNS:ca.example.org", "IP Address:10.0.0.1", "email:pki@example.org"]}
    assert describe(ca).its("extensions.basicConstraints").should.include("CA:TRUE").status == "passed"
