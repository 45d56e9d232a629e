"""The ``prometheus`` reporter: a run's results as Prometheus metrics.

Two destinations: a file for node_exporter's textfile collector (written
atomically, like every report), or a Pushgateway, pushed with PUT so the
group ``job`` + ``target`` holds exactly this run (controls that no longer
exist disappear)::

    inspecpy exec my-profile --reporter prometheus:/var/lib/node_exporter/textfile/inspecpy.prom
    inspecpy exec my-profile --reporter prometheus:http://pushgateway:9091
    inspecpy exec my-profile --reporter 'prometheus:http://pushgateway:9091?job=nightly&timeout=5'

    inspecpy_control_status{control="sshd-01",impact="0.7",profile="ssh-baseline",severity="high",status="failed",tags="cis:5.2.10",target="ssh://me@web1"} 1.0
    inspecpy_model_robust_accuracy{attack="pgd",control="mlsvs-robust-01",dataset="test.npz",eps="0.1",model="m.npz",norm="inf",profile="mlsvs",target="local://"} 0.82

The text is written by ``prometheus_client`` (escaping of label values
included); no free text (messages, titles) ever becomes a label, so the
number of series is bounded by the profile's controls. A password in the
Pushgateway URL (``http://user:pw@host:9091``, or ``INSPECPY_PUSHGATEWAY_PASSWORD``
with ``http://user@host:9091``) is sent as basic auth and never shown.
The ML figures checks measured (:class:`~inspecpy.results.Figure`) become
gauges named ``inspecpy_<figure name>``. The metric names are listed in
``docs/monitoring.md``.
"""

from __future__ import annotations

import os
import re
import time
from datetime import datetime
from typing import Any, Iterator, Sequence
from urllib.parse import parse_qs, urlsplit, urlunsplit

from inspecpy.errors import InspecpyError, UsageError
from inspecpy.exposition import Families, exposition
from inspecpy.hookspecs import hookimpl
from inspecpy.redaction import basic_auth, redact_uri
from inspecpy.reporter import Reporter, ReporterOptions
from inspecpy.results import (ERROR, FAILED, PASSED, SKIPPED, WAIVED, ControlResult, Figure, RunResult, shown_counts,
                              shown_status)

from inspecpy.reporters._common import impact_name, tag_labels

CONTROL_STATUSES = (PASSED, FAILED, SKIPPED, ERROR, WAIVED)
DEFAULT_JOB = "inspecpy"
DEFAULT_TIMEOUT = 10.0
MAX_TAG_LENGTH = 64  # a longer tag is prose (InSpec's `check`/`fix` texts), not a label
MAX_TAGS_LENGTH = 256  # all of a control's tags in its `tags` label
_METRIC_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_SURROGATE = re.compile("[\ud800-\udfff]")
_RUN_LABELS = ("target", "profile", "control")
_QUERY_KEYS = ("job", "timeout")


def tags_label(control: ControlResult) -> str:
    """The ``tags`` label: the control's tags as ``name`` or ``name:value``, joined by commas.

    A tag longer than MAX_TAG_LENGTH is prose (InSpec's ``check``/``fix``
    texts) and left out, and the label stops before MAX_TAGS_LENGTH, so a
    label never carries free text (``tags=~".*nist:AC-2.*"`` selects by tag).
    """
    kept: list[str] = []
    size = 0
    for tag in dict.fromkeys(tag_labels(control.tags)):
        if len(tag) > MAX_TAG_LENGTH:
            continue
        size += len(tag) + 1
        if size > MAX_TAGS_LENGTH:
            break
        kept.append(tag)
    return _text(",".join(kept))


def _text(value: Any) -> str:
    """A label value: text, with lone surrogates (undecodable bytes) as U+FFFD."""
    text = "" if value is None else str(value)
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def _timestamp(run: RunResult) -> float:
    try:
        return datetime.fromisoformat(run.start_time).timestamp()
    except ValueError:
        return time.time() - run.duration


def _require_client():
    try:
        import prometheus_client  # noqa: F401
    except ImportError:
        raise UsageError("reporter prometheus needs the prometheus_client package: "
                         "pip install 'inspecpy[prometheus]'") from None


def run_families(runs: Sequence[RunResult]) -> list:
    """The metric families of *runs* (``prometheus_client`` objects, for a registry or :func:`render`)."""
    from prometheus_client.core import GaugeMetricFamily as Gauge

    status = Gauge("inspecpy_control_status", "1 for each control, labelled with its status "
                   "(passed, failed, skipped, error, or waived: a waived control that did not pass) and its "
                   "short tags (name or name:value, joined by commas)",
                   labels=["target", "profile", "control", "impact", "severity", "status", "tags"])
    controls = Gauge("inspecpy_controls", "Controls by profile and status", labels=["target", "profile", "status"])
    tests = Gauge("inspecpy_tests", "Test results by status (passed, failed, skipped, or waived: "
                  "a failed test of a waived control)", labels=["target", "status"])
    errors = Gauge("inspecpy_profile_errors", "Control files of a profile that failed to load",
                   labels=["target", "profile"])
    duration = Gauge("inspecpy_run_duration_seconds", "How long the run took", labels=["target"])
    started = Gauge("inspecpy_run_timestamp_seconds", "When the run started (Unix time)", labels=["target"])
    up = Gauge("inspecpy_target_up", "1 when the target was reached, 0 when the run could not connect",
               labels=["target"])
    info = Gauge("inspecpy_run_info", "1, labelled with the inspecpy version and the target's platform",
                 labels=["target", "version", "platform", "release"])
    figures = _FigureFamilies()
    for run in runs:
        target = _text(run.target)
        up.add_metric([target], 0.0 if run.error else 1.0)
        duration.add_metric([target], run.duration)
        started.add_metric([target], _timestamp(run))
        platform = run.platform
        info.add_metric([target, run.version, _text(platform.name if platform else ""),
                         _text(platform.release if platform else "")], 1.0)
        for name, count in shown_counts(run.controls, tests=True).items():
            tests.add_metric([target, name], count)
        for profile in run.profiles:
            pname = _text(profile.name)
            errors.add_metric([target, pname], len(profile.errors))
            counts = dict.fromkeys(CONTROL_STATUSES, 0)
            for control in profile.controls:
                cid, state = _text(control.id), shown_status(control)
                counts[state] += 1
                status.add_metric([target, pname, cid, format(control.impact, "g"), impact_name(control.impact),
                                   state, tags_label(control)], 1.0)
                for result in control.results:
                    for figure in result.figures:
                        figures.add((target, pname, cid), figure)
            for name, count in counts.items():
                controls.add_metric([target, pname, name], count)
    return [status, controls, tests, errors, duration, started, up, info, *figures.families()]


class _FigureFamilies:
    """Figures grouped by name into gauges ``inspecpy_<name>``; a repeated series keeps its last value."""

    def __init__(self) -> None:
        self.series: dict[str, dict[tuple, float]] = {}
        self.help: dict[str, str] = {}

    def add(self, where: tuple[str, str, str], figure: Figure) -> None:
        if not _METRIC_NAME.match(figure.name):
            return  # not a metric name: a third-party subject's figure we cannot export
        labels = tuple((k if k not in _RUN_LABELS else f"exported_{k}", _text(v)) for k, v in figure.labels)
        self.series.setdefault(figure.name, {})[tuple(zip(_RUN_LABELS, where)) + labels] = figure.value
        self.help.setdefault(figure.name, figure.help or f"A figure checks measured ({figure.name})")

    def families(self) -> Iterator:
        from prometheus_client.core import GaugeMetricFamily as Gauge

        for name, series in self.series.items():
            keys = list(dict.fromkeys(k for labels in series for k, _ in labels))
            family = Gauge(f"inspecpy_{name}", self.help[name], labels=keys)
            for labels, value in series.items():
                found = dict(labels)
                family.add_metric([found.get(k, "") for k in keys], value)
            yield family


# -- the Pushgateway ------------------------------------------------------------------------------


def pushgateway(url: str) -> tuple[str, str, float, tuple[str, str] | None]:
    """``http://user:pw@host:9091/path?job=J&timeout=S`` → (base URL, job, timeout, (user, password) or None).

    The base URL carries no credentials, so it is safe in messages.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"reporter prometheus: {redact_uri(url)!r} is not an http(s)://HOST[:PORT] Pushgateway URL")
    try:
        parts.port
    except ValueError:
        raise UsageError(f"reporter prometheus: bad port in {redact_uri(url)!r}") from None
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - set(_QUERY_KEYS))
    if unknown:
        raise UsageError(f"reporter prometheus: unknown option {unknown[0]!r} in {redact_uri(url)!r} "
                         f"(known: {', '.join(_QUERY_KEYS)})")
    job = query.get("job", [DEFAULT_JOB])[-1]
    if not job:
        raise UsageError(f"reporter prometheus: empty job in {redact_uri(url)!r}")
    try:
        timeout = float(query.get("timeout", [DEFAULT_TIMEOUT])[-1])
    except ValueError:
        timeout = -1.0
    if not timeout > 0:
        raise UsageError(f"reporter prometheus: timeout must be a number of seconds > 0 in {redact_uri(url)!r}")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    base = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
    auth = None
    if parts.username is not None:
        from urllib.parse import unquote

        password = unquote(parts.password) if parts.password is not None \
            else os.environ.get("INSPECPY_PUSHGATEWAY_PASSWORD", "")
        auth = (unquote(parts.username), password)
    return base, job, timeout, auth


def _handler(auth: tuple[str, str] | None):
    """A ``push_to_gateway`` handler: basic auth when given, and the Pushgateway's own reason on an error."""
    import urllib.error
    import urllib.request

    def handler(url: str, method: str, timeout: float | None, headers: list, data: bytes):
        def send() -> None:
            request = urllib.request.Request(url, data=data, method=method)
            for name, value in headers:
                request.add_header(name, value)
            if auth is not None:
                request.add_header("Authorization", basic_auth(*auth))
            try:
                with urllib.request.urlopen(request, timeout=timeout) as reply:
                    reply.read(1 << 16)
            except urllib.error.HTTPError as reply:
                body = " ".join(reply.read(1000).decode("utf-8", "replace").split())  # one line
                body = body if len(body) <= 300 else body[:300] + " …"
                raise InspecpyError(f"Pushgateway answered {reply.code} {reply.reason}"
                                    + (f": {body}" if body else "")) from None
            except (urllib.error.URLError, OSError) as error:
                reason = getattr(error, "reason", None) or error
                raise InspecpyError(getattr(reason, "strerror", None) or str(reason)) from None

        return send

    return handler


class PrometheusReporter(Reporter):
    """Prometheus metrics, to a textfile or a Pushgateway."""

    name = "prometheus"
    description = "Prometheus metrics: a node_exporter textfile (PATH) or a Pushgateway (http://HOST:9091)"
    push_schemes = ("http", "https")

    def __init__(self, options: ReporterOptions | None = None):
        super().__init__(options)
        _require_client()

    def render(self, runs: Sequence[RunResult]) -> bytes:
        return exposition(run_families(runs))

    def check_push(self, url: str) -> None:
        pushgateway(url)

    def push(self, url: str, runs: Sequence[RunResult]) -> None:
        """PUT each target's metrics to the group ``job`` + ``target`` (replacing what it held)."""
        from prometheus_client import push_to_gateway

        base, job, timeout, auth = pushgateway(url)
        for run in runs:
            push_to_gateway(base, job=job, registry=Families(run_families([run])),  # type: ignore[arg-type]
                            grouping_key={"target": _text(run.target)}, timeout=timeout, handler=_handler(auth))


@hookimpl
def inspecpy_reporters():
    return [PrometheusReporter]
