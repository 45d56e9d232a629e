"""Debian's nginx as a TLS reverse proxy with a bearer token, in front of a model server.

A throwaway CA (made here with ``cryptography``) signs the server
certificate (SAN ``localhost`` and ``127.0.0.1``). Two listeners on loopback:

- HTTPS: ``Authorization: Bearer TOKEN`` or ``401``; with it, every request
  goes to the upstream (e.g. MLServer);
- plain HTTP: never proxies; ``301`` to the HTTPS URL (``plain_http="redirect"``,
  the default) or ``403`` (``plain_http="forbidden"``).

Everything (config, pid, logs, temp folders) lies in WORKDIR; nginx runs in
the foreground (``daemon off;``) as root with ``-p WORKDIR -c nginx.conf``::

    with NginxTls.start_new(tmp_path, upstream=mlserver.url) as proxy:
        proxy.https_url, proxy.http_url, proxy.ca_file, proxy.token
        proxy.ssl_context()                    # verifies against ca_file
        proxy.auth_header()                    # {'Authorization': 'Bearer …'}
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import secrets
import ssl
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from tests.integration.sshd import free_port
from tests.servers.process import ServerProcess, require, wait_http

NGINX = "/usr/sbin/nginx"


def why_not_available() -> str | None:
    """None when nginx can run here as this user (it needs root for ``user root``), else why not."""
    if os.geteuid() != 0:
        return "needs root: nginx's workers run as root to reach the pytest temp folder"
    return None


@dataclass(frozen=True)
class TestCA:
    """A CA and one server certificate signed by it, as PEM files."""

    ca_file: Path
    ca_key_file: Path
    cert_file: Path
    key_file: Path

    __test__ = False


def make_ca(workdir: Path, names: tuple[str, ...] = ("localhost", "127.0.0.1"), common_name: str = "localhost",
            client_auth: bool = False) -> TestCA:
    """A new CA and a server certificate for *names* (DNS names and IP addresses) in *workdir*; with
    *client_auth* the certificate also serves as a client's (mutual TLS, as Dask's processes use it)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "inspecpy test CA"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "inspecpy tests")])
    ca_cert = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
               .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
               .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                            content_commitment=False, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False,
                                            encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
               .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    alt_names = []
    for name in names:
        try:
            alt_names.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alt_names.append(x509.DNSName(name))
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH,
                                                  *([ExtendedKeyUsageOID.CLIENT_AUTH] if client_auth else [])]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    plain = dict(encoding=pem, format=serialization.PrivateFormat.PKCS8,
                 encryption_algorithm=serialization.NoEncryption())
    workdir.mkdir(parents=True, exist_ok=True)
    ca = TestCA(workdir / "ca.pem", workdir / "ca.key", workdir / "server.pem", workdir / "server.key")
    ca.ca_file.write_bytes(ca_cert.public_bytes(pem))
    ca.ca_key_file.write_bytes(ca_key.private_bytes(**plain))
    ca.cert_file.write_bytes(cert.public_bytes(pem))
    ca.key_file.write_bytes(key.private_bytes(**plain))
    os.chmod(ca.ca_key_file, 0o600)
    os.chmod(ca.key_file, 0o600)
    return ca


@dataclass
class NginxTls(ServerProcess):
    """One running nginx; :attr:`https_url` needs :attr:`token` and trusts :attr:`ca_file`.

    Stopped by the master's PID (SIGTERM: fast shutdown; the worker exits with it)."""

    upstream: str
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    https_port: int = 0
    http_port: int = 0
    plain_http: str = "redirect"
    host: str = "127.0.0.1"
    ca: TestCA | None = None

    log_name: ClassVar[str] = "logs/error.log"

    @property
    def https_url(self) -> str:
        return f"https://{self.host}:{self.https_port}"

    @property
    def http_url(self) -> str:
        return f"http://{self.host}:{self.http_port}"

    @property
    def ca_file(self) -> Path:
        assert self.ca is not None
        return self.ca.ca_file

    @property
    def config(self) -> Path:
        return self.workdir / "nginx.conf"

    @property
    def error_log(self) -> Path:
        return self.log

    @property
    def access_log(self) -> Path:
        return self.workdir / "logs" / "access.log"

    def auth_header(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts only :attr:`ca_file` (hostname checked)."""
        return ssl.create_default_context(cafile=str(self.ca_file))

    @classmethod
    def start_new(cls, workdir: Path, upstream: str, token: str | None = None, plain_http: str = "redirect",
                  ready_path: str = "/v2/health/ready", timeout: float = 30) -> "NginxTls":
        """Make the CA and certificate, write nginx.conf, start nginx, wait until HTTPS answers *ready_path*."""
        if plain_http not in ("redirect", "forbidden"):
            raise ValueError("plain_http is 'redirect' or 'forbidden'")
        workdir.mkdir(parents=True, exist_ok=True)
        proxy = cls(workdir=workdir, upstream=upstream.rstrip("/"), https_port=free_port(), http_port=free_port(),
                    plain_http=plain_http)
        if token:
            proxy.token = token
        proxy.ca = make_ca(workdir / "tls")
        proxy._configure()
        proxy.start(ready_path, timeout)
        return proxy

    def _configure(self) -> None:
        assert self.ca is not None
        for sub in ("logs", "temp/body", "temp/proxy", "temp/fastcgi", "temp/uwsgi", "temp/scgi"):
            (self.workdir / sub).mkdir(parents=True, exist_ok=True)
        temp = self.workdir / "temp"
        plain = (f"return 301 https://$host:{self.https_port}$request_uri;" if self.plain_http == "redirect"
                 else "return 403;")
        self.config.write_text(f"""# inspecpy tests: TLS + bearer token in front of {self.upstream}
daemon off;
master_process on;
worker_processes 1;
user root root;
pid {self.workdir / "nginx.pid"};
error_log {self.error_log} info;
events {{ worker_connections 256; }}
http {{
    access_log {self.access_log};
    client_body_temp_path {temp / "body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};
    server_tokens off;
    client_max_body_size 64m;
    default_type application/octet-stream;

    server {{
        listen {self.host}:{self.https_port} ssl;
        server_name localhost {self.host};
        ssl_certificate {self.ca.cert_file};
        ssl_certificate_key {self.ca.key_file};
        ssl_protocols TLSv1.2 TLSv1.3;

        location / {{
            if ($http_authorization != "Bearer {self.token}") {{
                return 401;
            }}
            proxy_pass {self.upstream};
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header Connection "";
            proxy_set_header X-Forwarded-Proto https;
            proxy_read_timeout 120s;
        }}
    }}

    server {{
        listen {self.host}:{self.http_port};
        server_name localhost {self.host};
        location / {{
            {plain}
        }}
    }}
}}
""")

    def start(self, ready_path: str = "/v2/health/ready", timeout: float = 30) -> None:
        require(NGINX, "nginx-light")
        cmd = [NGINX, "-p", str(self.workdir), "-c", str(self.config), "-e", str(self.error_log)]
        check = subprocess.run([*cmd, "-t"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t failed: {check.stderr}")
        self._launch(cmd, lambda: wait_http(f"{self.https_url}{ready_path}", self.process, timeout, self.log,
                                            context=self.ssl_context(), headers=self.auth_header()))
