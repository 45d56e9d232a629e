"""Prometheus's HTTP API for the ``prometheus`` resource: the client, query results and tables.

Requests go from the machine running inspecpy (like ``model_endpoint``'s):
a Prometheus inside a cluster is reached through its ingress or a
port-forward. Written on the standard library (``urllib``): five GET/POST
calls with a JSON answer need no client package, and the available ones
pull in pandas or requests.

Results are lazy: ``query(...)`` returns at once and asks Prometheus when
a check reads ``rows``/``value``/``min``…, so a rejected query is a failed
result of that check (quoting Prometheus's error), not an error of the
whole control::

    api = PrometheusApi("http://127.0.0.1:9090")
    QueryResult("sum(up)", api).value          # 3.0
    RangeResult("model_accuracy", api, since=86400).min
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable, Mapping
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

from inspecpy.errors import ResourceFailed
from inspecpy.redaction import basic_auth, redact_uri
from inspecpy.resources.filtering import Column, FilterTable

MAX_ANSWER = 64 << 20  # bytes read from one answer
POINTS = 1000  # points per series query_range asks for when no step is given


class PrometheusApi:
    """GET/POST ``/api/v1/...`` of one Prometheus server; every failure is a ResourceFailed that says why.

    A ``token`` is sent as ``Authorization: Bearer``; ``user:password@`` in
    the URL as basic auth. Neither ever appears in a message (``url`` is the
    address without them). TLS certificates are verified (``ca_file`` adds a
    CA; ``ssl_verify=False`` turns checking off).
    """

    def __init__(self, url: str, token: str | None = None, timeout: float = 10.0, ca_file: str | None = None,
                 ssl_verify: bool = True):
        parts = urlsplit(str(url))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"prometheus: {redact_uri(str(url))!r} is not an http(s)://HOST[:PORT] URL")
        netloc = parts.netloc.rpartition("@")[2]
        self.url = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
        self._headers = {"Accept": "application/json"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        elif parts.username is not None:
            self._headers["Authorization"] = basic_auth(unquote(parts.username), unquote(parts.password or ""))
        self.timeout, self.ca_file, self.ssl_verify = float(timeout), ca_file, bool(ssl_verify)

    def call(self, path: str, what: str, post: bool = False, **params: Any) -> Any:
        """The ``data`` of ``/api/v1/<path>``, or ResourceFailed naming *what*.

        *params* go in the query string, or as a form when *post* (PromQL of any length).
        """
        import socket
        import ssl
        import urllib.error
        import urllib.request

        form = urlencode({k: v for k, v in params.items() if v is not None})
        headers, url, body = dict(self._headers), f"{self.url}/api/v1/{path}", None
        if post:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = form.encode()
        elif form:
            url += "?" + form
        request = urllib.request.Request(url, data=body, headers=headers, method="POST" if post else "GET")
        context = ssl.create_default_context(cafile=self.ca_file) if self.url.startswith("https") else None
        if context is not None and not self.ssl_verify:
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=context) as reply:
                return self._data(reply.read(MAX_ANSWER + 1), what)
        except urllib.error.HTTPError as reply:
            raise ResourceFailed(self._refusal(reply, what)) from None
        except (socket.timeout, TimeoutError):
            raise ResourceFailed(f"Prometheus at {self.url} did not answer {what} within {self.timeout:g} s") from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise ResourceFailed(f"Prometheus at {self.url} did not answer {what} within {self.timeout:g} s") \
                    from None
            raise ResourceFailed(f"cannot reach Prometheus at {self.url}: {getattr(reason, 'strerror', None) or reason}") \
                from None
        except (ConnectionError, OSError) as error:
            raise ResourceFailed(f"Prometheus at {self.url}: {error.strerror or error} while reading {what}") from None

    def _data(self, raw: bytes, what: str) -> Any:
        if len(raw) > MAX_ANSWER:
            raise ResourceFailed(f"Prometheus at {self.url}: the answer to {what} is larger than {MAX_ANSWER >> 20} MB")
        try:
            answer = json.loads(raw)
        except ValueError:
            raise ResourceFailed(f"Prometheus at {self.url}: the answer to {what} is not JSON") from None
        if not isinstance(answer, dict) or answer.get("status") != "success":
            raise ResourceFailed(f"Prometheus rejected {what}: {_error_text(answer)}")
        return answer.get("data")

    def _refusal(self, reply, what: str) -> str:
        raw = reply.read(1 << 16)
        try:
            return f"Prometheus rejected {what}: {_error_text(json.loads(raw))}"
        except ValueError:
            hint = " (check the token or credentials)" if reply.code in (401, 403) else ""
            return f"Prometheus at {self.url} answered {reply.code} {reply.reason}{hint}"


def _error_text(answer: Any) -> str:
    if isinstance(answer, dict) and answer.get("error"):
        kind = answer.get("errorType")
        return f"{kind}: {answer['error']}" if kind else str(answer["error"])
    return "an answer without status 'success'"


def number(text: Any) -> float:
    """A sample value as Prometheus sends it (``"0.9"``, ``"NaN"``, ``"+Inf"``)."""
    return float(text)


# -- instant and range queries ------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One row of an instant query: the series' ``labels`` and its ``value``."""

    labels: Mapping[str, str]
    value: float

    def __str__(self) -> str:
        inner = ",".join(f'{k}="{v}"' for k, v in self.labels.items())
        return f"{{{inner}}} {self.value:g}"


@dataclass(frozen=True)
class QueryResult:
    """An instant query: ``rows`` (each with ``labels`` and ``value``), ``count``, and ``value``.

    ``value`` is the one row's value, and an error unless exactly one row
    came back (``sum(...)``, ``count(...)`` give one).
    """

    promql: str
    _api: PrometheusApi = field(repr=False, compare=False)
    time: float | None = None

    @cached_property
    def rows(self) -> tuple[Sample, ...]:
        data = self._api.call("query", f"the query {self.promql!r}", post=True, query=self.promql, time=self.time)
        answer: dict = data or {}
        kind, result = answer.get("resultType"), answer.get("result") or []
        if kind == "vector":
            return tuple(Sample(dict(r.get("metric", {})), number(r["value"][1])) for r in result)
        if kind == "scalar":
            return (Sample({}, number(result[1])),)
        if kind == "matrix":
            raise ResourceFailed(f"the query {self.promql!r} returned a range vector: use query_range(...), "
                                 "or an aggregation over time such as min_over_time(...)")
        raise ResourceFailed(f"the query {self.promql!r} returned a {kind or 'missing'} result, not numbers")

    @property
    def count(self) -> int:
        """How many rows came back."""
        return len(self.rows)

    @property
    def values(self) -> list[float]:
        """Every row's value."""
        return [row.value for row in self.rows]

    @property
    def value(self) -> float:
        """The value of the one row (a failed check when there are none or several)."""
        rows = self.rows
        if len(rows) != 1:
            shown = "" if not rows else ": " + ", ".join(str(r) for r in rows[:5]) + (" …" if len(rows) > 5 else "")
            raise ResourceFailed(f"the query {self.promql!r} returned {len(rows)} rows, value needs exactly one "
                                 f"(aggregate it, or read rows/count){shown}")
        return rows[0].value

    def __str__(self) -> str:
        return f"Prometheus query {self.promql}"


@dataclass(frozen=True)
class Series:
    """One series of a range query: ``labels`` and its ``values`` as (time, value) pairs."""

    labels: Mapping[str, str]
    values: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class RangeResult:
    """A range query over the last ``since`` seconds: ``series``, and ``min``/``max``/``avg`` over every point.

    ``step`` defaults to ``since`` / 1000; for an exact minimum of a gauge use
    ``query("min_over_time(metric[24h])")``, which sees every scraped sample.
    """

    promql: str
    _api: PrometheusApi = field(repr=False, compare=False)
    since: float = 86400.0
    step: float | None = None
    until: float | None = None

    @cached_property
    def series(self) -> tuple[Series, ...]:
        end = time.time() if self.until is None else self.until
        step = self.step or max(1.0, self.since / POINTS)
        data = self._api.call("query_range", f"the range query {self.promql!r}", post=True, query=self.promql,
                             start=end - self.since, end=end, step=step)
        if (data or {}).get("resultType") != "matrix":
            raise ResourceFailed(f"the range query {self.promql!r} returned no series of numbers")
        return tuple(Series(dict(r.get("metric", {})), tuple((float(t), number(v)) for t, v in r.get("values", [])))
                     for r in data.get("result", []))

    @property
    def count(self) -> int:
        """How many series came back."""
        return len(self.series)

    @property
    def samples(self) -> int:
        """How many points, over all series."""
        return sum(len(s.values) for s in self.series)

    def _points(self) -> list[float]:
        points = [v for s in self.series for _, v in s.values if not math.isnan(v)]
        if not points:
            raise ResourceFailed(f"the range query {self.promql!r} returned no samples in the last "
                                 f"{_span(self.since)}")
        return points

    @property
    def min(self) -> float:
        """The lowest point of any series (NaN left out; no points is a failed check)."""
        return min(self._points())

    @property
    def max(self) -> float:
        """The highest point of any series."""
        return max(self._points())

    @property
    def avg(self) -> float:
        """The mean of every point of every series."""
        points = self._points()
        return sum(points) / len(points)

    @property
    def last(self) -> float:
        """The latest point (of the series whose last point is latest)."""
        latest = [s.values[-1] for s in self.series if s.values]
        if not latest:
            self._points()
        return max(latest)[1]

    def __str__(self) -> str:
        return f"Prometheus range query {self.promql} over {_span(self.since)}"


def _span(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


# -- alerts, rules, targets --------------------------------------------------------------------------


class ApiTable(FilterTable):
    """A table read from one API answer; ``where``, columns, ``count`` and ``be_empty`` as for any table."""

    name = "prometheus"
    display_name = "Prometheus"
    what = ""

    def __init__(self, api: PrometheusApi):
        super().__init__()
        self.api = api

    @property
    def resource_id(self) -> str:
        return f"{self.api.url} {self.what}"

    def __len__(self) -> int:
        return self.count

    def names_where(self, field_name: str, wanted: str, column: str) -> list:
        """The *column* of the selected rows whose *field_name* is *wanted*."""
        return [row[column] for row in self.entries if row.get(field_name) == wanted]


class Alerts(ApiTable):
    """Active alerts (``/api/v1/alerts``): rows with ``alertname``, ``state`` (firing, pending),
    ``labels``, ``annotations``, ``active_at``, ``value``."""

    what = "alerts"
    names = Column("alertname", "The alert names of the selected alerts.")
    states = Column("state")

    def load_rows(self) -> Iterable[dict]:
        data = self.api.call("alerts", "the alerts request") or {}
        return [{"alertname": a.get("labels", {}).get("alertname", ""), "state": a.get("state", ""),
                 "labels": dict(a.get("labels", {})), "annotations": dict(a.get("annotations", {})),
                 "active_at": a.get("activeAt", ""), "value": _maybe_number(a.get("value"))}
                for a in data.get("alerts", [])]

    @property
    def firing(self) -> list[str]:
        """Names of the selected alerts that are firing."""
        return self.names_where("state", "firing", "alertname")

    @property
    def pending(self) -> list[str]:
        """Names of the selected alerts that are pending."""
        return self.names_where("state", "pending", "alertname")


class Rules(ApiTable):
    """Loaded rules (``/api/v1/rules``): rows with ``name``, ``group``, ``file``, ``type`` (alerting,
    recording), ``query``, ``health``, ``state`` (alerting rules: inactive, pending, firing), ``labels``,
    ``last_error``."""

    what = "rules"
    names = Column("name", "The names of the selected rules.")
    groups = Column("group", simple=True)
    types = Column("type")
    healths = Column("health")

    def load_rows(self) -> Iterable[dict]:
        data = self.api.call("rules", "the rules request") or {}
        return [{"name": r.get("name", ""), "group": g.get("name", ""), "file": g.get("file", ""),
                 "type": r.get("type", ""), "query": r.get("query", ""), "health": r.get("health", ""),
                 "state": r.get("state", ""), "labels": dict(r.get("labels") or {}),
                 "last_error": r.get("lastError", "")}
                for g in data.get("groups", []) for r in g.get("rules", [])]


class Targets(ApiTable):
    """Scrape targets (``/api/v1/targets``, active ones): rows with ``job``, ``instance``, ``health``
    (up, down, unknown), ``scrape_url``, ``scrape_pool``, ``last_error``, ``labels``."""

    what = "targets"
    jobs = Column("job", simple=True)
    instances = Column("instance")
    healths = Column("health")

    def load_rows(self) -> Iterable[dict]:
        data = self.api.call("targets", "the targets request", state="active") or {}
        return [{"job": t.get("labels", {}).get("job", ""), "instance": t.get("labels", {}).get("instance", ""),
                 "health": t.get("health", ""), "scrape_url": t.get("scrapeUrl", ""),
                 "scrape_pool": t.get("scrapePool", ""), "last_error": t.get("lastError", ""),
                 "labels": dict(t.get("labels", {}))}
                for t in data.get("activeTargets", [])]

    @property
    def down(self) -> list[str]:
        """Instances of the selected targets whose health is not ``up``."""
        return [row["instance"] for row in self.entries if row.get("health") != "up"]


def _maybe_number(value: Any) -> Any:
    try:
        return float(value)
    except (TypeError, ValueError):
        return value

