"""The ``prometheus`` resource: assert on live metrics, alerts, rules and scrape targets."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from inspecpy.durations import parse_duration
from inspecpy.resources.base import Resource
from inspecpy.resources.prometheus_api import Alerts, PrometheusApi, QueryResult, RangeResult, Rules, Targets


class Prometheus(Resource):
    """A Prometheus server, through its HTTP API: ``query``, ``query_range``, ``alerts``, ``rules``, ``targets``.

    ``query(promql)`` is an instant query: ``rows`` (each with ``labels`` and
    ``value``), ``count``, and ``value`` (the one row's value; a failed
    check unless exactly one row came back). ``query_range(promql,
    since="24h", step=None)`` gives ``min``, ``max``, ``avg``, ``last`` over
    every point, and ``series``. ``alerts`` (firing and pending), ``rules``
    (alerting and recording, by ``name`` and ``group``) and ``targets``
    (``health`` up/down per ``job``/``instance``) are tables: ``where(...)``,
    ``count``, ``be_empty``. A query Prometheus rejects is a failed check
    quoting its error.

    Requests go from the machine running inspecpy (not from the target);
    ``token`` is sent as a bearer token (pass a sensitive input, it is never
    shown), ``user:password@`` in the URL as basic auth; TLS is verified
    (``ca_file``; ``ssl_verify=False`` to skip); ``timeout`` in seconds.

    Python::

        prom = prometheus("http://prometheus:9090", token=input("prom_token"))
        describe(prom.query('sum(up{job="model"})')).its("value").should.eq(3)
        describe(prom.query("min_over_time(model_accuracy[24h])")).its("value").should.be_at_least(0.9)
        describe(prom.query_range("model_accuracy", since="24h")).its("min").should.be_at_least(0.9)
        describe(prom.alerts.where(alertname="ModelDrift", state="firing")).should.be_empty()
        describe(prom.rules.where(name="ModelDrift")).should_not.be_empty()
        describe(prom.targets.where(job="model", health=lambda h: h != "up")).should.be_empty()

    YAML (``promql``, ``since`` and ``step`` are what ``query``/``query_range`` read)::

        - prometheus: {url: "http://prometheus:9090", promql: 'sum(up{job="model"})'}
          its: {query.value: {eq: 3}}
        - prometheus: {url: "http://prometheus:9090", promql: model_accuracy, since: 24h}
          its: {query_range.min: {be_at_least: 0.9}}
        - prometheus: http://prometheus:9090
          its:
            rules.names: {include: ModelDrift}
            alerts.firing: {should_not: {include: ModelDrift}}
            targets.down: {be_empty: null}
    """

    name = "prometheus"

    def __init__(self, url: str, token: str | None = None, promql: str | None = None, since: Any = "24h",
                 step: Any = None, timeout: float = 10.0, ca_file: str | None = None, ssl_verify: bool = True):
        super().__init__()
        self.api = PrometheusApi(url, token=token, timeout=timeout, ca_file=ca_file, ssl_verify=ssl_verify)
        self.promql, self.since, self.step = promql, since, step

    @property
    def resource_id(self) -> str:
        return self.api.url + (f" {self.promql}" if self.promql else "")

    @property
    def url(self) -> str:
        """The server's address (without credentials)."""
        return self.api.url

    def query(self, promql: str | None = None, time: float | None = None) -> QueryResult:
        """An instant query (at *time*, Unix seconds; now by default): ``rows``, ``count``, ``value``."""
        return QueryResult(self._promql(promql), self.api, time)

    def query_range(self, promql: str | None = None, since: Any = None, step: Any = None,
                    until: float | None = None) -> RangeResult:
        """A range query over the last *since* (``"24h"``, ``"30m"``, seconds) to *until* (now):
        ``min``, ``max``, ``avg``, ``last``, ``series``, ``samples``."""
        span = parse_duration(self.since if since is None else since)
        step = self.step if step is None else step
        return RangeResult(self._promql(promql), self.api, span, None if step is None else parse_duration(step), until)

    @cached_property
    def alerts(self) -> Alerts:
        """Firing and pending alerts: ``where(alertname=…, state=…)``, ``names``, ``firing``, ``pending``."""
        return Alerts(self.api)

    @cached_property
    def rules(self) -> Rules:
        """Loaded rules: ``where(name=…, group=…, type="alerting")``, ``names``, ``groups``."""
        return Rules(self.api)

    @cached_property
    def targets(self) -> Targets:
        """Active scrape targets: ``where(job=…, health=…)``, ``jobs``, ``instances``, ``down``."""
        return Targets(self.api)

    def _promql(self, promql: str | None) -> str:
        if promql is None and self.promql is None:
            raise ValueError("prometheus: no query: pass query(promql) or prometheus(url, promql=...)")
        return str(promql if promql is not None else self.promql)
