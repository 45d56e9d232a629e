"""HTTP/1.1 for model endpoints, on the standard library (``http.client`` and ``ssl``).

Why not requests or urllib3: neither is a core dependency, and what an
endpoint check needs is a few lines each over ``http.client``: keep-alive
connections shared by threads (batched predictions), a read bounded in bytes
and in time (a 1 GB answer or a server that trickles must not hang a run),
redirects followed only within the same origin (a token never travels to
another host), and plain access to the TLS settings.

Example::

    client = HttpClient("https://models.example.org/serving", token=token, ca_file="ca.pem")
    reply = client.request("GET", "/v2/health/ready")
    reply.status                       # 200
    client.request("POST", "/v2/models/digits/infer", body).json()["outputs"]

Every failure is an :class:`EndpointError` with one line that names the
request and the reason; the token never appears in one.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import urljoin, urlsplit

from inspecpy.errors import ResourceFailed

DEFAULT_MAX_BYTES = 64 << 20  # the largest response body read (a batched prediction is far smaller)
_REDIRECTS = (301, 302, 303, 307, 308)
_MAX_HOPS = 3
_READ = 1 << 20
CONFIGURED = object()
log = logging.getLogger("inspecpy.serving")  # ``token=CONFIGURED``: the client's own credentials (the default)


class EndpointError(ResourceFailed):
    """A request to a model endpoint failed; the message names the request and why."""


@dataclass(frozen=True)
class Reply:
    """One HTTP response: status, headers (lower-case names), the body as bytes."""

    status: int
    reason: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    where: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        """The body parsed as JSON, or an EndpointError that shows the start of it."""
        try:
            return json.loads(self.body)
        except ValueError as error:
            snippet = self.text()[:80]
            raise EndpointError(f"{self.where}: HTTP {self.status} with a body that is not JSON "
                                f"({getattr(error, 'msg', error)}): {snippet!r}") from None


def split_url(url: str) -> tuple[str, str, int, str]:
    """``(scheme, host, port, path prefix)`` of an endpoint URL; ValueError says what is wrong.

    >>> split_url("https://models.example.org/serving/")
    ('https', 'models.example.org', 443, '/serving')
    """
    parts = urlsplit(str(url).strip())
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"endpoint URL must start with http:// or https://, got {str(url)[:60]!r}")
    if parts.username or parts.password:
        raise ValueError("the endpoint URL holds credentials (user:password@): pass a token with token= "
                         "(or the INSPECPY_ENDPOINT_TOKEN environment variable) instead")
    if not parts.hostname:
        raise ValueError(f"no host in endpoint URL {str(url)[:60]!r}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ValueError(f"bad port in endpoint URL {str(url)[:60]!r}") from None
    return parts.scheme, parts.hostname, port, parts.path.rstrip("/")


def tls_context(ca_file: str | None = None, cert: Any = None, verify: bool = True) -> ssl.SSLContext:
    """A client context: the system store (or ``ca_file``) verifies the chain and the host name.

    ``cert`` is a PEM file holding the client certificate and key, or a
    ``(cert_file, key_file)`` pair (mutual TLS).
    """
    try:
        context = ssl.create_default_context(cafile=ca_file)
        if cert:
            certfile, keyfile = (cert, None) if isinstance(cert, str) else tuple(cert)
            context.load_cert_chain(certfile, keyfile)
    except (OSError, ssl.SSLError) as error:
        what = f"ca_file {ca_file}" if ca_file and not cert else "TLS files"
        raise EndpointError(f"{what} cannot be used: {getattr(error, 'strerror', None) or error}") from None
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class HttpClient:
    """Requests to one origin (scheme, host, port) under a path prefix, from any thread.

    ``timeout`` bounds each request as a whole (connect, send, wait, read);
    ``max_bytes`` bounds every response body.
    """

    def __init__(self, url: str, *, token: str | None = None, ca_file: str | None = None, cert: Any = None,
                 timeout: float = 30.0, verify: bool = True, max_bytes: int = DEFAULT_MAX_BYTES):
        self.scheme, self.host, self.port, self.prefix = split_url(url)
        self.url = f"{self.scheme}://{self._netloc()}{self.prefix}"
        self.timeout = float(timeout)
        self.max_bytes = int(max_bytes)
        self._token = token
        self._tls = (ca_file, cert, verify)
        self._context: ssl.SSLContext | None = None
        self._idle: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def _netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"

    @property
    def has_token(self) -> bool:
        """Credentials are configured (their value is never shown)."""
        return bool(self._token)

    @property
    def address(self) -> str:
        """``host:port`` for messages."""
        return f"{self.host}:{self.port}"

    # -- requests ----------------------------------------------------------------------
    def request(self, method: str, path: str, body: bytes | None = None, *, token: Any = CONFIGURED,
                headers: Mapping[str, str] | None = None, follow: bool = True, max_bytes: int | None = None,
                timeout: float | None = None) -> Reply:
        """Send one request; ``path`` is below the URL's prefix (``/v2/health/ready``).

        ``token``: the configured credentials by default, ``None`` for none,
        or another token (the auth probes). Redirects within the origin are
        followed (GET/HEAD, or 307/308); to another origin they never are.
        """
        secret = self._token if token is CONFIGURED else token
        sent = {"User-Agent": _user_agent(), "Accept": "application/json"}
        if body is not None:
            sent["Content-Type"] = "application/json"
        if secret:
            sent["Authorization"] = f"Bearer {secret}"
        sent.update(headers or {})
        target = self.prefix + path
        for _ in range(_MAX_HOPS + 1):
            reply = self._exchange(method, target, body, sent, max_bytes or self.max_bytes,
                                   self.timeout if timeout is None else float(timeout))
            location = reply.headers.get("location")
            if not follow or reply.status not in _REDIRECTS or not location:
                return reply
            target = self._same_origin(reply, target, location)
            if reply.status in (301, 302, 303) and method not in ("GET", "HEAD"):
                raise EndpointError(f"{reply.where}: answered {method} with a redirect (HTTP {reply.status}) "
                                    f"to {target}: not followed")
        raise EndpointError(f"{method} {self.url}{path}: more than {_MAX_HOPS} redirects")

    def _same_origin(self, reply: Reply, current: str, location: str) -> str:
        """The path to follow a redirect to, or an EndpointError when it leaves the origin."""
        nxt = urlsplit(urljoin(f"{self.scheme}://{self._netloc()}{current}", location))
        port = nxt.port or (443 if nxt.scheme == "https" else 80)
        if (nxt.scheme, nxt.hostname, port) != (self.scheme, self.host, self.port):
            shown = f"{nxt.scheme}://{nxt.hostname}:{port}{nxt.path}"
            raise EndpointError(f"{reply.where}: redirects to {shown}, another origin: not followed "
                                "(credentials are never sent to another host)")
        return nxt.path + (f"?{nxt.query}" if nxt.query else "")

    def close(self) -> None:
        """Close the idle connections (busy ones close when their request ends)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    # -- one exchange on a pooled connection ---------------------------------------------
    def _exchange(self, method, path, body, headers, max_bytes, timeout) -> Reply:
        where = f"{method} {self.scheme}://{self._netloc()}{path}"
        deadline = time.monotonic() + timeout
        for attempt in (0, 1):
            conn, reused = self._checkout(fresh=attempt > 0)
            try:
                reply, keep = self._roundtrip(conn, method, path, body, headers, max_bytes, deadline,
                                              where, timeout, stale_ok=reused and attempt == 0)
            except _Stale:
                conn.close()
                continue
            except BaseException:
                conn.close()
                raise
            log.debug("%s: HTTP %s, %d bytes, %.1f ms", where, reply.status, len(reply.body),
                      (time.monotonic() - deadline + timeout) * 1000)
            if keep:
                with self._lock:
                    self._idle.append(conn)
            else:
                conn.close()
            return reply
        raise EndpointError(f"{where}: the server closed the connection without answering")

    def _checkout(self, fresh: bool = False) -> tuple[http.client.HTTPConnection, bool]:
        with self._lock:
            if self._idle and not fresh:
                return self._idle.pop(), True
        if self.scheme == "https":
            if self._context is None:
                self._context = tls_context(*self._tls)
            return http.client.HTTPSConnection(self.host, self.port, context=self._context), False
        return http.client.HTTPConnection(self.host, self.port), False

    def _roundtrip(self, conn, method, path, body, headers, max_bytes, deadline, where, timeout, stale_ok):
        sent_error = None
        try:
            conn.timeout = _left(deadline, where, timeout)
            if conn.sock is not None:
                conn.sock.settimeout(conn.timeout)
            conn.request(method, path, body=body, headers=dict(headers))
        except (BrokenPipeError, ConnectionResetError) as error:
            sent_error = error  # the server may have answered early (413) and closed: read that answer
        except (OSError, http.client.HTTPException) as error:
            raise EndpointError(f"{where}: {self._explain(error, timeout)}") from None
        sock = conn.sock  # kept: getresponse() drops conn.sock when the answer closes the connection
        try:
            sock.settimeout(_left(deadline, where, timeout))
            response = conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as error:
            if stale_ok:  # a pooled connection the server had closed: no answer came, try a new one
                raise _Stale() from None
            raise EndpointError(f"{where}: the server closed the connection without answering "
                                f"({type(sent_error or error).__name__})") from None
        except (OSError, http.client.HTTPException) as error:
            raise EndpointError(f"{where}: {self._explain(error, timeout)}") from None
        return self._read(sock, response, max_bytes, deadline, where, timeout)

    def _read(self, sock, response, max_bytes, deadline, where, timeout) -> tuple[Reply, bool]:
        headers = {k.lower(): v for k, v in response.getheaders()}
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise EndpointError(f"{where}: HTTP {response.status} with a {int(length)}-byte body, larger than "
                                f"the {max_bytes}-byte limit: not read")
        chunks, total = [], 0
        try:
            while True:
                sock.settimeout(_left(deadline, where, timeout))
                chunk = response.read1(min(_READ, max_bytes + 1 - total))
                chunks.append(chunk)
                total += len(chunk)
                if total > max_bytes:
                    raise EndpointError(f"{where}: HTTP {response.status} with a body larger than the "
                                        f"{max_bytes}-byte limit: reading stopped")
                if not chunk or response.length == 0:
                    break
            if response.length:  # the server closed before the announced Content-Length
                raise http.client.IncompleteRead(b"", response.length)
        except http.client.IncompleteRead as error:
            raise EndpointError(f"{where}: the connection closed mid-response (HTTP {response.status}, "
                                f"{total + len(error.partial)} bytes of the body received)") from None
        except (OSError, http.client.HTTPException) as error:
            raise EndpointError(f"{where}: mid-response: {self._explain(error, timeout)}") from None
        keep = not response.will_close
        response.close()  # read1() leaves a fully read Content-Length body open
        return Reply(response.status, response.reason, headers, b"".join(chunks), where), keep

    def _explain(self, error: BaseException, timeout: float) -> str:
        if isinstance(error, ssl.SSLCertVerificationError):
            hint = " (give ca_file= for a private CA)" if error.verify_code in (18, 19, 20, 21) else ""
            return f"TLS certificate of {self.address} not verified: {error.verify_message}{hint}"
        if isinstance(error, ssl.SSLError):
            return f"TLS with {self.address} failed: {error.reason or error}"
        if isinstance(error, socket.gaierror):
            return f"cannot resolve host {self.host!r} ({error.strerror})"
        if isinstance(error, ConnectionRefusedError):
            return f"connection refused by {self.address}"
        if isinstance(error, ConnectionResetError):
            return f"connection reset by {self.address}"
        if isinstance(error, (socket.timeout, TimeoutError)):
            return f"no answer from {self.address} within {timeout:g} s"
        if isinstance(error, http.client.HTTPException):
            return f"not an HTTP answer from {self.address} ({type(error).__name__}: {str(error)[:80]})"
        return f"{self.address}: {getattr(error, 'strerror', None) or error}"


class _Stale(Exception):
    """A pooled keep-alive connection the server had already closed (retried once on a new one)."""


def _left(deadline: float, where: str, timeout: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise EndpointError(f"{where}: not complete within {timeout:g} s")
    return left


def _user_agent() -> str:
    from inspecpy.version import __version__

    return f"inspecpy/{__version__}"
