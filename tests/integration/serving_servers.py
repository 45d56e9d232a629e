"""Real model servers for the model_endpoint tests, started on loopback and stopped by PID.

Private helpers until the shared fixtures of ``tests/servers/`` (MLServer,
nginx TLS) land on main; same shape as those (``start_new(workdir, …)``,
``stop()``, ``pid``, ``url``):

- ``MLServer``: MLServer 1.7 (``mlserver`` + ``mlserver-sklearn``) serving a
  scikit-learn LogisticRegression whose weights are the demo ``model.npz``
  (so the pinned file and the served model agree), over v2, with
  ``"parallel_workers": 0`` (its worker processes crash at start otherwise);
- ``NginxTls``: Debian's nginx in front of it with TLS from a throwaway CA
  made here and a bearer-token check, plus a plain-HTTP port that only
  redirects to HTTPS;
- ``KServeV1``: KServe's Python ``ModelServer`` (in ``.venv-kserve``, its own
  virtual environment: kserve pins a FastAPI that MLServer 1.7 refuses)
  serving the same weights over v1.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO_MODEL = ROOT / "profiles" / "mlsvs" / "files" / "model.npz"
DEMO_DATA = ROOT / "profiles" / "mlsvs" / "files" / "test.npz"
KSERVE_PYTHON = ROOT / ".venv-kserve" / "bin" / "python"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float, proc: subprocess.Popen, log: Path, context=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2, context=context) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready within {timeout} s: {log.read_text()[-2000:]}")


class _Process:
    proc: subprocess.Popen

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # its own session: the server and its children
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def sklearn_from_npz(path: Path):
    """A fitted LogisticRegression carrying the network file's weights (same predictions)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    arrays = np.load(path, allow_pickle=False)
    lr = LogisticRegression()
    lr.coef_, lr.intercept_ = arrays["W0"].T.copy(), arrays["b0"].copy()
    lr.classes_ = arrays["classes"].copy() if "classes" in arrays else np.arange(arrays["b0"].shape[0])
    return lr


class MLServer(_Process):
    """MLServer serving ``name``; with ``broken=True`` also a model ``broken`` that is never ready
    (its file is missing: models are then loaded one by one through the repository API, since a
    model that fails at start-up stops MLServer)."""

    def __init__(self, workdir: Path, model_npz: Path = DEMO_MODEL, name: str = "digits", broken: bool = False):
        import joblib

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        root = workdir / "models"
        (root / name).mkdir(parents=True)
        joblib.dump(sklearn_from_npz(model_npz), root / name / "model.joblib")
        (root / name / "model-settings.json").write_text(json.dumps({
            "name": name, "implementation": "mlserver_sklearn.SKLearnModel",
            "parameters": {"uri": "./model.joblib", "version": "v1"}}))
        if broken:
            (root / "broken").mkdir()
            (root / "broken" / "model-settings.json").write_text(json.dumps({
                "name": "broken", "implementation": "mlserver_sklearn.SKLearnModel",
                "parameters": {"uri": "./missing.joblib"}}))
        (root / "settings.json").write_text(json.dumps({
            "host": "127.0.0.1", "http_port": self.port, "grpc_port": free_port(),
            "metrics_port": free_port(), "parallel_workers": 0, "load_models_at_startup": not broken}))
        self.log = workdir / "mlserver.log"
        mlserver = Path(sys.executable).parent / "mlserver"
        command = [str(mlserver)] if mlserver.exists() else [sys.executable, "-m", "mlserver.cli.main"]
        self.proc = subprocess.Popen([*command, "start", str(root)], cwd=root, stdout=self.log.open("wb"),
                                     stderr=subprocess.STDOUT, start_new_session=True)
        try:
            if broken:
                wait_for(f"{self.url}/v2/health/live", 90, self.proc, self.log)
                load = urllib.request.Request(f"{self.url}/v2/repository/models/{name}/load", b"", method="POST")
                urllib.request.urlopen(load, timeout=60).close()
            wait_for(f"{self.url}/v2/models/{name}/ready", 90, self.proc, self.log)
        except BaseException:
            self.stop()
            raise

    @classmethod
    def start_new(cls, workdir: Path, **kwargs) -> "MLServer":
        return cls(workdir, **kwargs)


def make_ca_and_server_cert(workdir: Path, hosts=("127.0.0.1", "localhost"), days: int = 90) -> dict[str, Path]:
    """A throwaway CA and a server certificate it signs (SANs: ``hosts``); also a self-signed one."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)

    def key():
        return ec.generate_private_key(ec.SECP256R1())

    def name(cn):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, "inspecpy tests")])

    def write(path: Path, data: bytes) -> Path:
        path.write_bytes(data)
        return path

    ca_key = key()
    ca = (x509.CertificateBuilder().subject_name(name("inspecpy test CA")).issuer_name(name("inspecpy test CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=365))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    sans = []
    for host in hosts:
        try:
            sans.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            sans.append(x509.DNSName(host))
    server_key = key()
    server = (x509.CertificateBuilder().subject_name(name(hosts[-1])).issuer_name(ca.subject)
              .public_key(server_key.public_key()).serial_number(x509.random_serial_number())
              .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=days))
              .add_extension(x509.SubjectAlternativeName(sans), critical=False)
              .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
              .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
              .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    key_pem = server_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return {"ca": write(workdir / "ca.pem", ca.public_bytes(pem)),
            "cert": write(workdir / "server.pem", server.public_bytes(pem) + ca.public_bytes(pem)),
            "key": write(workdir / "server.key", key_pem)}


class NginxTls(_Process):
    """nginx: ``https_url`` (TLS, bearer token, proxies to ``upstream``), ``redirect_port`` (plain HTTP,
    301 to HTTPS) and, with ``plain_proxy=True``, ``plain_port`` proxying without TLS (a misconfiguration)."""

    def __init__(self, workdir: Path, upstream: str, token: str, plain_proxy: bool = False,
                 server_tokens: bool = False):
        workdir.mkdir(parents=True, exist_ok=True)
        self.files = make_ca_and_server_cert(workdir)
        self.port, self.redirect_port, self.plain_port = free_port(), free_port(), free_port()
        self.https_url = f"https://127.0.0.1:{self.port}"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"):
            (workdir / sub).mkdir(exist_ok=True)
        location = f"""
            location / {{
                if ($http_authorization != "Bearer {token}") {{ return 401; }}
                proxy_pass {upstream};
                proxy_http_version 1.1;
                proxy_set_header Connection "";
            }}"""
        plain = f"""
        server {{
            listen 127.0.0.1:{self.plain_port};
            {location}
        }}""" if plain_proxy else ""
        user = "user root;" if os.geteuid() == 0 else ""
        conf = workdir / "nginx.conf"
        conf.write_text(f"""
{user}
worker_processes 1;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    server_tokens {"on" if server_tokens else "off"};
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    keepalive_timeout 30;
    server {{
        listen 127.0.0.1:{self.port} ssl;
        ssl_certificate {self.files["cert"]};
        ssl_certificate_key {self.files["key"]};
        ssl_protocols TLSv1.2 TLSv1.3;
        {location}
    }}
    server {{
        listen 127.0.0.1:{self.redirect_port};
        return 301 https://127.0.0.1:{self.port}$request_uri;
    }}{plain}
}}
""")
        self.log = workdir / "logs" / "error.log"
        self.proc = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(workdir), "-c", str(conf)],
                                     stdout=subprocess.DEVNULL, stderr=(workdir / "stderr.log").open("wb"),
                                     start_new_session=True)
        try:
            _wait_port(self.port, self.proc, workdir / "stderr.log")
        except BaseException:
            self.stop()
            raise

    @classmethod
    def start_new(cls, workdir: Path, **kwargs) -> "NginxTls":
        return cls(workdir, **kwargs)


def _wait_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"port {port} not open within {timeout} s: {log.read_text()[-2000:]}")


KSERVE_SERVER = '''
import sys
import numpy as np
import uvicorn

_config = uvicorn.Config.__init__
def _loopback(self, *args, **kwargs):  # KServe binds 0.0.0.0; the tests stay on loopback
    kwargs["host"] = "127.0.0.1"
    _config(self, *args, **kwargs)
uvicorn.Config.__init__ = _loopback

import kserve

class Digits(kserve.Model):
    def __init__(self, name, path):
        super().__init__(name)
        arrays = np.load(path, allow_pickle=False)
        self.W, self.b, self.classes = arrays["W0"], arrays["b0"], arrays["classes"]
        self.ready = True

    def predict(self, payload, headers=None, response_headers=None):
        X = np.asarray(payload["instances"], dtype=np.float64)
        return {"predictions": self.classes[np.argmax(X @ self.W + self.b, axis=1)].tolist()}

kserve.ModelServer(http_port=int(sys.argv[3]), enable_grpc=False, enable_latency_logging=False).start(
    [Digits(sys.argv[1], sys.argv[2])])
'''


def kserve_missing() -> str | None:
    if not KSERVE_PYTHON.exists():
        return f"{KSERVE_PYTHON} is missing: run scripts/install-test-deps.sh (it makes .venv-kserve)"
    return None


class KServeV1(_Process):
    """KServe's ``ModelServer`` serving the demo weights as ``name`` (v1 and v2 REST)."""

    def __init__(self, workdir: Path, model_npz: Path = DEMO_MODEL, name: str = "digits"):
        workdir.mkdir(parents=True, exist_ok=True)
        script = workdir / "kserve_server.py"
        script.write_text(KSERVE_SERVER)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "kserve.log"
        self.proc = subprocess.Popen([str(KSERVE_PYTHON), str(script), name, str(model_npz), str(self.port)],
                                     stdout=self.log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for(f"{self.url}/v1/models/{name}", 60, self.proc, self.log)
        except BaseException:
            self.stop()
            raise

    @classmethod
    def start_new(cls, workdir: Path, **kwargs) -> "KServeV1":
        return cls(workdir, **kwargs)


def main() -> None:
    """``python -m tests.integration.serving_servers``: the demo MLServer and nginx until Ctrl-C."""
    import secrets
    import tempfile

    token = secrets.token_urlsafe(16)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill PID` stops both servers too
    with tempfile.TemporaryDirectory(prefix="inspecpy-serving-") as tmp:
        with MLServer.start_new(Path(tmp) / "mlserver") as mlserver, \
                NginxTls.start_new(Path(tmp) / "nginx", upstream=mlserver.url, token=token) as nginx:
            print(f"MLServer (v2, plain):  {mlserver.url}\n"
                  f"nginx (TLS + token):   {nginx.https_url}\n"
                  f"  its CA:              {nginx.files['ca']}\n"
                  f"  its token:           export INSPECPY_ENDPOINT_TOKEN={token}\n"
                  "Ctrl-C stops both.", flush=True)
            try:
                signal.pause()
            except KeyboardInterrupt:
                pass


if __name__ == "__main__":
    main()
