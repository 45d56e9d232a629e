"""The ``http`` resource: an HTTP request made from the target."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from inspecpy.errors import ResourceSkipped, TargetError
from inspecpy.resources.base import Resource


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""


class Headers(dict):
    """Response headers; lookups ignore case (``headers["content-type"]``, ``its("headers.Server")``)."""

    def get(self, key: Any, default: Any = None) -> Any:
        for name, value in self.items():
            if str(name).lower() == str(key).lower():
                return value
        return default

    def __getitem__(self, key: Any) -> Any:
        value = self.get(key, KeyError)
        if value is KeyError:
            raise KeyError(key)
        return value


def parse_http_head(text: str) -> tuple[int, dict[str, str]]:
    """The last response head in *text* (after any ``100 Continue`` or redirect hops)."""
    status, headers = 0, dict[str, str]()
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line.strip()
        if line.upper().startswith("HTTP/"):
            parts = line.split()
            status, headers = (int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0), {}
        elif ":" in line and status:
            name, _, value = line.partition(":")
            headers[name.strip()] = value.strip()
    return status, headers


def parse_curl(stdout: str) -> HttpResponse:
    """``curl -sS -i`` output: head(s), a blank line, the body."""
    text = stdout.replace("\r\n", "\n")
    heads, body = [], text
    while body.upper().startswith("HTTP/"):
        head, _, body = body.partition("\n\n")
        heads.append(head)
    status, headers = parse_http_head("\n".join(heads))
    return HttpResponse(status, headers, body)


def parse_wget(stdout: str, stderr: str) -> HttpResponse:
    """``wget -S -O -``: the indented server response on stderr, the body on stdout."""
    status, headers = parse_http_head("\n".join(l for l in stderr.splitlines() if l.startswith("  ")))
    return HttpResponse(status, headers, stdout)


class Http(Resource):
    """An HTTP(S) request: ``status``, ``headers``, ``body``.

    On the local target it is made with Python's ``urllib``; on a remote
    target with ``curl`` (else ``wget``, GET only) run there, so the
    request comes from the host being checked. Redirects are not followed
    (``max_redirects`` to allow some); ``open_timeout`` and ``read_timeout``
    are in seconds; ``ssl_verify=False`` accepts any certificate.

    Python::

        describe(http("http://localhost:8080/health")).its("status").should.eq(200)
        describe(http("https://example.org", method="HEAD")).its("headers.Strict-Transport-Security").should.match("max-age")
        describe(http("http://localhost/api", headers={"Accept": "application/json"})).its("body").should.match('"ok"')

    YAML::

        - http: {url: "http://localhost:8080/health", read_timeout: 5}
          its: {status: {eq: 200}, body: {match: ok}}
    """

    name = "http"
    display_name = "HTTP"

    def __init__(self, url: str, method: str = "GET", headers: dict | None = None, data: str | None = None,
                 params: dict | None = None, open_timeout: float = 5, read_timeout: float = 10,
                 ssl_verify: bool = True, max_redirects: int = 0):
        super().__init__()
        if params:
            from urllib.parse import urlencode

            url += ("&" if "?" in url else "?") + urlencode(params)
        self.url, self.method, self.request_headers, self.data = url, method.upper(), dict(headers or {}), data
        self.open_timeout, self.read_timeout = float(open_timeout), float(read_timeout)
        self.ssl_verify, self.max_redirects = ssl_verify, int(max_redirects)

    @property
    def resource_id(self) -> str:
        return f"{self.method} {self.url}"

    @cached_property
    def _response(self) -> HttpResponse:
        if self.target.scheme == "local":
            return self._urllib()
        if self.target.run("command -v curl").exit_status == 0:
            return self._curl()
        if self.target.run("command -v wget").exit_status == 0 and self.method == "GET" and self.data is None:
            return self._wget()
        raise ResourceSkipped(f"http: neither curl nor wget (for GET) is installed on {self.target.name}")

    def _urllib(self) -> HttpResponse:
        import socket
        import ssl
        import urllib.error
        import urllib.request

        limit = self.max_redirects

        class Redirects(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, req, fp, code, msg, hdrs, newurl):
                nonlocal limit
                if limit <= 0:
                    return None
                limit -= 1
                return super().redirect_request(req, fp, code, msg, hdrs, newurl)

        context = None if self.ssl_verify else ssl._create_unverified_context()  # noqa: S323 - user's choice
        opener = urllib.request.build_opener(Redirects, urllib.request.HTTPSHandler(context=context))
        body = self.data.encode() if self.data is not None else None
        request = urllib.request.Request(self.url, data=body, headers=self.request_headers, method=self.method)
        try:
            with opener.open(request, timeout=self.open_timeout + self.read_timeout) as reply:
                return HttpResponse(reply.status, dict(reply.headers.items()), reply.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as reply:
            return HttpResponse(reply.code, dict(reply.headers.items()), reply.read().decode("utf-8", "replace"))
        except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            raise TargetError(f"http {self.method} {self.url}: {reason}") from None

    def _curl(self) -> HttpResponse:
        parts, args = ["curl -sS -i -X {} --connect-timeout {} --max-time {}"], [
            self.method, self.open_timeout, self.open_timeout + self.read_timeout]
        if not self.ssl_verify:
            parts.append("-k")
        if self.max_redirects:
            parts.append("-L --max-redirs {}")
            args.append(self.max_redirects)
        for name, value in self.request_headers.items():
            parts.append("-H {}")
            args.append(f"{name}: {value}")
        if self.data is not None:
            parts.append("--data-raw {}")
            args.append(self.data)
        parts.append("{}")
        args.append(self.url)
        result = self.target.run(" ".join(parts), *args, timeout=self.open_timeout + self.read_timeout + 5)
        if result.exit_status != 0:
            raise TargetError(f"http {self.method} {self.url}: {result.stderr.strip() or 'curl failed'}")
        return parse_curl(result.stdout)

    def _wget(self) -> HttpResponse:
        template = "wget -q -S -O - --content-on-error --max-redirect={} -T {} " + ("" if self.ssl_verify else "--no-check-certificate ")
        args: list[Any] = [self.max_redirects, self.open_timeout + self.read_timeout]
        for name, value in self.request_headers.items():
            template += "--header={} "
            args.append(f"{name}: {value}")
        result = self.target.run(template + "{}", *args, self.url,
                                 timeout=self.open_timeout + self.read_timeout + 5)
        response = parse_wget(result.stdout, result.stderr)
        if response.status == 0:
            raise TargetError(f"http {self.method} {self.url}: {result.stderr.strip() or 'wget failed'}")
        return response

    @property
    def status(self) -> int:
        return self._response.status

    @property
    def headers(self) -> Headers:
        return Headers(self._response.headers)

    @property
    def body(self) -> str:
        return self._response.body

    @property
    def http_method(self) -> str:
        return self.method
