"""http: a real local server through urllib, and recorded curl/wget output for remote targets."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from inspecpy import describe
from inspecpy.resources.builtin.http import Http, parse_curl, parse_wget


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/health")
            self.end_headers()
            return
        body = b'{"ok": true}' if self.path.startswith("/health") else b"missing"
        self.send_response(200 if self.path.startswith("/health") else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Echo", self.headers.get("X-Test", ""))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802
        data = self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(201)
        self.end_headers()
        self.wfile.write(b"got " + data)

    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # the timed-out client hung up: expected
        pass


@pytest.fixture(scope="module")
def server():
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_local_get_status_headers_body(server):
    page = Http(server + "/health", headers={"X-Test": "hi"}, params={"a": "1"})
    assert page.status == 200 and page.body == '{"ok": true}'
    assert page.headers["content-type"] == "application/json" and page.headers.get("X-ECHO") == "hi"
    result = describe(page).its("headers.Content-Type").should.match("json")
    assert result.status == "passed"
    assert result.code_desc.startswith(f"HTTP GET {server}/health?a=1 headers Content-Type")
    assert Http(server + "/nope").status == 404


def test_local_post_and_redirects(server):
    assert Http(server + "/", method="POST", data="x=1").body == "got x=1"
    assert Http(server + "/moved").status == 301
    assert Http(server + "/moved", max_redirects=1).status == 200


def test_local_timeout_and_refused_connection_are_clear_failures(server):
    slow = describe(Http(server + "/slow", open_timeout=0.2, read_timeout=0.3)).its("status").should.eq(200)
    assert slow.status == "failed" and "timed out" in slow.message
    refused = describe(Http("http://127.0.0.1:1/")).its("status").should.eq(200)
    assert refused.status == "failed" and "http GET http://127.0.0.1:1/" in refused.message


CURL = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\n\r\nhello\r\nworld"


class Remote:
    scheme = "ssh"


def test_curl_and_wget_parsers():
    response = parse_curl(CURL)
    assert response.status == 200 and response.headers["Server"] == "nginx" and response.body == "hello\nworld"
    wget = parse_wget("body", "  HTTP/1.1 302 Found\n  Location: /x\n  HTTP/1.1 200 OK\n  Server: x\n")
    assert (wget.status, wget.headers) == (200, {"Server": "x"})


def test_remote_target_uses_curl_with_every_argument_quoted(replay):
    target = replay({"commands": {
        "command -v curl": "/usr/bin/curl\n",
        "curl -sS -i -X GET --connect-timeout 5.0 --max-time 15.0 -H 'Accept: a b' 'http://h/p?q=1&r=2'": CURL}})
    target.scheme = "ssh"
    page = Http("http://h/p?q=1&r=2", headers={"Accept": "a b"})
    assert page.status == 200 and page.body == "hello\nworld"


def test_remote_target_falls_back_to_wget(replay):
    target = replay({"commands": {
        "command -v wget": "/usr/bin/wget\n",
        "wget -q -S -O - --content-on-error --max-redirect=0 -T 15.0 http://h/": {
            "stdout": "ok", "stderr": "  HTTP/1.1 200 OK\n  Server: x\n", "exit_status": 0}}})
    target.scheme = "ssh"
    assert Http("http://h/").body == "ok"


def test_remote_target_without_curl_or_wget_is_skipped(replay):
    target = replay({})
    target.scheme = "ssh"
    result = describe(Http("http://h/")).its("status").should.eq(200)
    assert result.status == "skipped" and "neither curl nor wget" in result.skip_message
