"""model_endpoint against endpoints that misbehave: each gives a failed result saying why, nothing else is lost.

Faults: an unreachable port, a DNS failure, a connection reset mid-response,
a server that never answers, a certificate the system store does not know,
a redirect to another host, a non-JSON or truncated answer, a 1 GB answer,
a model that is not ready. The servers are small raw-socket ones on
loopback (a real MLServer, its model unloaded, for the model that is not ready).
"""

from __future__ import annotations

import json
import socket
import ssl
import struct
import threading
from pathlib import Path

import pytest

from inspecpy.errors import ResourceFailed
from inspecpy.resources import model_endpoint
from tests.conftest import run_cli, write_profile
from tests.integration.sshd import free_port
from tests.servers.mlserver import MLServer
from tests.servers.nginx_tls import make_ca

HEAD_200 = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"


class FaultServer:
    """A loopback HTTP server whose every answer is ``behave(conn, request_bytes)``; records requests."""

    def __init__(self, behave, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None):
        self.behave, self.tls = behave, tls
        self.requests: list[bytes] = []
        self.stopping = threading.Event()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.url = f"http://{host}:{self.sock.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn):
        try:
            if self.tls:
                conn = self.tls.wrap_socket(conn, server_side=True)
            conn.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            self.requests.append(data)
            self.behave(self, conn, data)
        except (OSError, ssl.SSLError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def close(self):
        self.stopping.set()
        self.thread.join(2)
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def reset_mid_response(server, conn, request):
    conn.sendall(HEAD_200 + b"Content-Length: 1000\r\n\r\n" + b'{"outputs": [')
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with RST


def never_answers(server, conn, request):
    server.stopping.wait(30)


def html(server, conn, request):
    body = b"<html><body>Welcome to the corporate proxy</body></html>"
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))


def truncated_json(server, conn, request):
    body = b'{"name": "m", "versions": ["1"], "inputs": [{"name": "x", "shape": [-1, 64'
    conn.sendall(HEAD_200 + b"Content-Length: %d\r\n\r\n%s" % (len(body), body))


def short_body(server, conn, request):
    conn.sendall(HEAD_200 + b"Content-Length: 100\r\n\r\n" + b'{"name": "m", "inp')


def gigabyte(server, conn, request):
    conn.sendall(HEAD_200 + b"Content-Length: %d\r\n\r\n" % (1 << 30))
    block = b"0" * (1 << 16)
    for _ in range(1 << 14):  # at most the announced 1 GB; the client stops reading long before
        conn.sendall(block)


def endless_chunks(server, conn, request):
    conn.sendall(HEAD_200 + b"Transfer-Encoding: chunked\r\n\r\n")
    chunk = b"%x\r\n%s\r\n" % (1 << 16, b" " * (1 << 16))
    for _ in range(1 << 14):  # 1 GB at most
        conn.sendall(chunk)


@pytest.fixture
def serve():
    servers = []

    def start(behave, **kwargs) -> FaultServer:
        servers.append(FaultServer(behave, **kwargs))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def endpoint(url, **kwargs):
    return model_endpoint(url, model="m", protocol="v2", **kwargs)


# -- one fault, one clear line ----------------------------------------------------------------
def test_unreachable_port():
    port = free_port()
    with pytest.raises(ResourceFailed, match=rf"^GET http://127\.0\.0\.1:{port}/v2/health/ready: connection "
                                             rf"refused by 127\.0\.0\.1:{port}$"):
        endpoint(f"http://127.0.0.1:{port}").ready


def test_dns_failure():
    with pytest.raises(ResourceFailed, match=r"cannot resolve host 'no-such-host\.invalid'"):
        endpoint("http://no-such-host.invalid:8080").live


def test_connection_reset_mid_response(serve):
    server = serve(reset_mid_response)
    with pytest.raises(ResourceFailed, match=r"/v2/models/m: (the connection closed mid-response|mid-response: "
                                             r"connection reset)"):
        endpoint(server.url).metadata


def test_a_server_that_never_answers_times_out(serve):
    server = serve(never_answers)
    with pytest.raises(ResourceFailed, match=r"no answer from 127\.0\.0\.1:\d+ within 0\.5 s"):
        endpoint(server.url, timeout=0.5).ready


def test_a_certificate_the_system_store_does_not_know(serve, tmp_path):
    ca = make_ca(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(ca.cert_file, ca.key_file)
    server = serve(html, tls=context)
    url = server.url.replace("http://", "https://")
    with pytest.raises(ResourceFailed, match=r"^GET https://127\.0\.0\.1:\d+/v2/health/ready: TLS certificate of "
                                             r"127\.0\.0\.1:\d+ not verified: unable to get local issuer "
                                             r"certificate \(give ca_file= for a private CA\)$"):
        endpoint(url).ready
    assert endpoint(url, ca_file=str(ca.ca_file)).ready is True  # the same server, its CA given


def test_a_redirect_to_another_host_is_not_followed_with_credentials(serve):
    other = serve(html, host="127.0.0.2")

    def redirect(server, conn, request):
        conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: %s/v2/health/ready\r\nContent-Length: 0\r\n\r\n"
                     % other.url.encode())

    server = serve(redirect)
    with pytest.raises(ResourceFailed, match=r"redirects to http://127\.0\.0\.2:\d+/v2/health/ready, another "
                                             r"origin: not followed \(credentials are never sent to another host\)"):
        endpoint(server.url, token="s3cret-token").ready
    assert b"s3cret-token" in server.requests[0]  # the endpoint itself got it
    assert other.requests == []  # the other host got nothing at all


def test_an_answer_that_is_not_json(serve):
    server = serve(html)
    with pytest.raises(ResourceFailed, match=r"/v2/models/m: HTTP 200 with a body that is not JSON \(Expecting "
                                             r"value\): '<html><body>Welcome"):
        endpoint(server.url).metadata


def test_truncated_answers(serve):
    with pytest.raises(ResourceFailed, match=r"HTTP 200 with a body that is not JSON"):
        endpoint(serve(truncated_json).url).metadata
    with pytest.raises(ResourceFailed, match=r"the connection closed mid-response \(HTTP 200, 18 bytes of the "
                                             r"body received\)"):
        endpoint(serve(short_body).url).metadata


def test_a_gigabyte_answer_is_not_read(serve):
    with pytest.raises(ResourceFailed, match=r"HTTP 200 with a 1073741824-byte body, larger than the "
                                             r"67108864-byte limit: not read"):
        endpoint(serve(gigabyte).url).metadata
    with pytest.raises(ResourceFailed, match=r"HTTP 200 with a body larger than the 1048576-byte limit: "
                                             r"reading stopped"):
        endpoint(serve(endless_chunks).url, max_response_bytes=1 << 20).metadata


@pytest.fixture(scope="module")
def unloaded_mlserver(tmp_path_factory):
    """A private MLServer whose model is unloaded through the repository API: listed, never ready."""
    import urllib.request

    with MLServer.start_new(tmp_path_factory.mktemp("mlserver")) as server:
        unload = urllib.request.Request(f"{server.url}/v2/repository/models/digits/unload", b"", method="POST")
        urllib.request.urlopen(unload, timeout=60).close()
        yield server


def test_a_model_that_is_not_ready(unloaded_mlserver):
    ep = model_endpoint(unloaded_mlserver.url, model="digits")
    assert ep.live is True and ep.model_ready is False
    with pytest.raises(ResourceFailed, match=r"POST http://127\.0\.0\.1:\d+/v2/models/digits/infer: HTTP 4\d\d "
                                             r".* for a batch of 2 rows"):
        ep.predict([[0.0] * 64, [1.0] * 64])


# -- in a run: failed results that say why, the other controls unaffected ---------------------------
def test_faults_in_a_profile_run(serve, tmp_path, unloaded_mlserver):
    urls = {"reset": serve(reset_mid_response).url, "silent": serve(never_answers).url,
            "html": serve(html).url, "huge": serve(gigabyte).url, "closed": f"http://127.0.0.1:{free_port()}",
            "broken": unloaded_mlserver.url}
    profile = write_profile(tmp_path, "faults", controls={"faults.py": f'''
        from inspecpy import control, describe
        from inspecpy.resources import model_endpoint

        URLS = {json.dumps(urls)}

        for key, url in URLS.items():
            name = "digits" if key == "broken" else "m"

            @control(f"fault-{{key}}", title=key)
            def _(url=url, name=name):
                ep = model_endpoint(url, model=name, protocol="v2", timeout=1, token="tok-never-shown-42")
                describe(ep).its("model_ready").should.eq(True)
                describe(ep).its("metadata.name").should.eq(name)

        @control("unaffected")
        def _():
            describe(1).should.eq(1)
        '''})
    report = tmp_path / "out.json"
    run = run_cli("exec", profile, "--no-color", "--reporter", "cli", f"json:{report}", timeout=300)
    assert run.code == 100, run.err
    assert "Traceback" not in run.out + run.err and "tok-never-shown-42" not in run.out + run.err
    controls = {c["id"]: c for c in json.loads(report.read_text())["profiles"][0]["controls"]}
    assert [r["status"] for r in controls["unaffected"]["results"]] == ["passed"]
    messages = {key: " ".join(r.get("message", "") for r in controls[f"fault-{key}"]["results"])
                for key in urls}
    for key in urls:
        assert "failed" in {r["status"] for r in controls[f"fault-{key}"]["results"]}, key
    assert "no answer from" in messages["silent"] and "within 1 s" in messages["silent"]
    assert "not JSON" in messages["html"]
    assert "larger than the 67108864-byte limit: not read" in messages["huge"]
    assert "connection refused" in messages["closed"]
    assert "mid-response" in messages["reset"]
    assert "expected: true" in messages["broken"] and "got: false" in messages["broken"]
    assert Path(report).stat().st_size > 0
