"""The ``tls`` probe: one verified handshake, and the certificate read either way.

The handshake verifies the chain against ``ca_file`` (or the system store)
and the host name, as every request does; when it fails, a second
handshake without verification reads the certificate so the report can
say what is served (no data is sent on it).

Example::

    t = inspect_tls("models.example.org", 443, ca_file="ca.pem")
    t.verified, t.version, t.days_to_expiry, t.sans   # True, 'TLSv1.3', 87.4, ('DNS:models.example.org',)
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from datetime import datetime, timezone
from typing import Any

from inspecpy.ml.serving.client import EndpointError, tls_context
from inspecpy.ml.serving.results import Tls


def inspect_tls(host: str, port: int, *, ca_file: str | None = None, cert: Any = None,
                timeout: float = 10.0) -> Tls:
    """Handshake with ``host:port`` and describe its TLS; EndpointError when no handshake works."""
    error = None
    try:
        der, version, cipher = _handshake(host, port, tls_context(ca_file, cert), timeout)
        verified = True
    except ssl.SSLCertVerificationError as failure:
        verified, error = False, f"not verified: {failure.verify_message}"
        try:
            der, version, cipher = _handshake(host, port, tls_context(ca_file, cert, verify=False), timeout)
        except (OSError, ssl.SSLError) as again:
            raise EndpointError(f"TLS with {host}:{port} failed: {again}") from None
    except ssl.SSLError as failure:
        raise EndpointError(f"TLS with {host}:{port} failed: {failure.reason or failure} "
                            "(is it a plain-HTTP port?)") from None
    except (socket.timeout, TimeoutError):
        raise EndpointError(f"TLS with {host}:{port}: no answer within {timeout:g} s") from None
    except OSError as failure:
        raise EndpointError(f"TLS with {host}:{port}: {failure.strerror or failure}") from None
    return describe_certificate(der, host, version=version, cipher=cipher, verified=verified, error=error)


def _handshake(host: str, port: int, context: ssl.SSLContext, timeout: float):
    with socket.create_connection((host, port), timeout=timeout) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            return tls.getpeercert(binary_form=True), tls.version(), (tls.cipher() or (None,))[0]


def describe_certificate(der: bytes, host: str, **handshake: Any) -> Tls:
    """A :class:`Tls` from the server certificate (DER) and what the handshake gave."""
    from cryptography import x509

    cert = x509.load_der_x509_certificate(der)
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns = names.get_values_for_type(x509.DNSName)
        ips = [str(ip) for ip in names.get_values_for_type(x509.IPAddress)]
    except x509.ExtensionNotFound:
        dns, ips = [], []
    not_after = cert.not_valid_after_utc
    return Tls(enabled=True, subject=_fields(cert.subject), issuer=_fields(cert.issuer),
               sans=tuple([f"DNS:{n}" for n in dns] + [f"IP:{n}" for n in ips]),
               not_after=not_after.isoformat(),
               days_to_expiry=round((not_after - datetime.now(timezone.utc)).total_seconds() / 86400, 2),
               hostname_match=names_host(host, dns, ips), **handshake)


def _fields(name) -> dict[str, str]:
    """An X.509 name as ``{"CN": ..., "O": ...}`` (RFC 4514 attribute names)."""
    return {attr.rfc4514_attribute_name: attr.value for attr in name}


def names_host(host: str, dns: list[str], ips: list[str]) -> bool:
    """RFC 6125 matching of ``host`` against the SANs (one left-most ``*`` label).

    >>> names_host("a.example.org", ["*.example.org"], []), names_host("127.0.0.1", [], ["127.0.0.1"])
    (True, True)
    """
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        return any(ipaddress.ip_address(ip) == address for ip in ips)
    wanted = host.lower().rstrip(".").split(".")
    for name in dns:
        labels = name.lower().rstrip(".").split(".")
        if len(labels) == len(wanted) and all(a == b or (i == 0 and a == "*") for i, (a, b)
                                                in enumerate(zip(labels, wanted))):
            return True
    return False
