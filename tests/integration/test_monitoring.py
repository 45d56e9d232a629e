"""End to end with real servers: exec pushes to a Pushgateway, `inspecpy exporter` serves /metrics,
Prometheus scrapes both, and the `prometheus` resource reads the same figures back into passing controls."""

from __future__ import annotations

import json
import os
import re
import socket
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import ROOT, run_cli, write_profile
from tests.integration.exporter_process import ExporterProcess
from tests.servers.process import alive
from tests.servers.prometheus import PrometheusServer, Pushgateway

FILES = ROOT / "profiles" / "mlsvs" / "files"

#: A profile with a pass, a high-impact failure and every kind of ML figure.
SHOP = f'''
from inspecpy import control, describe
from inspecpy.resources import dataset, model

FILES = {str(FILES)!r}


@control("shop-ok", impact=0.3, tags={{"nist": ["AC-2"]}})
def _():
    describe(1).should.eq(1)


@control("shop-root-login", impact=0.9, title="A high-impact failure")
def _():
    describe("yes").should.eq("no")


@control("shop-robust", impact=0.7)
def _():
    result = model(FILES + "/model.npz").robustness(dataset(FILES + "/test.npz"), attack="fgsm", eps=0.1)
    describe(result).its("robust_accuracy").should.be_at_least(0.5)


@control("shop-data", impact=0.5)
def _():
    train = dataset(FILES + "/train.npz")
    describe(train.drift(FILES + "/train.npz")).its("drifted_columns").should.be_empty()
    describe(dataset(FILES + "/tickets.jsonl")).its("pii").should_not.be_empty()
    describe(model(FILES + "/model.npz")).should.be_safe()
'''

SERVED = '''
from inspecpy import control, describe

@control("served-1", impact=0.5)
def _():
    describe(2).should.eq(2)
'''

RULES = '''
groups:
  - name: inspecpy
    rules:
      - alert: InspecpyHighImpactControlFailing
        expr: inspecpy_control_status{status=~"failed|error", severity=~"high|critical"} == 1
        labels: {severity: page}
        annotations:
          summary: "{{ $labels.control }} of {{ $labels.profile }} fails on {{ $labels.target }}"
      - alert: ModelDrift
        expr: max by (dataset) (inspecpy_dataset_column_drifted) > 0
      - record: inspecpy:compliance:ratio
        expr: >-
          sum by (target, profile) (inspecpy_controls{status="passed"})
          / sum by (target, profile) (inspecpy_controls{status=~"passed|failed|error"})
'''

#: The checks a team writes against its monitoring, in Python and YAML.
MONITOR = '''
from inspecpy import control, describe, input
from inspecpy.resources import prometheus

PROM = input("prom_url")


@control("mon-pushed")
def _():
    prom = prometheus(PROM)
    describe(prom.query('inspecpy_control_status{job="inspecpy",control="shop-ok"}')).its("value").should.cmp(1)
    describe(prom.query('inspecpy_control_status{job="inspecpy",control="shop-root-login"}')) \\
        .its("rows.0.labels.status").should.eq("failed")
    describe(prom.query('inspecpy_model_robust_accuracy{job="inspecpy",attack="fgsm"}')) \\
        .its("value").should.eq(input("robust_accuracy"))
    describe(prom.query_range('inspecpy_model_clean_accuracy{job="inspecpy"}', since="10m")) \\
        .its("min").should.be_at_least(input("robust_accuracy"))
    describe(prom.query('sum(inspecpy_dataset_pii_findings{job="inspecpy"})')).its("value").should.be_greater_than(0)
    describe(prom.query('min(inspecpy_model_safe{job="inspecpy"})')).its("value").should.cmp(1)


@control("mon-exporter")
def _():
    prom = prometheus(PROM)
    describe(prom.query('inspecpy_control_status{job="exporter",control="served-1"}')) \\
        .its("rows.0.labels.status").should.eq("passed")
    describe(prom.query('inspecpy_last_success_timestamp_seconds{job="exporter"}')).its("value") \\
        .should.be_greater_than(1_600_000_000)
    describe(prom.query_range('inspecpy_exporter_runs_total{job="exporter"}', since="10m", step="1s")) \\
        .its("max").should.be_at_least(1)


@control("mon-rules-alerts-targets")
def _():
    prom = prometheus(PROM)
    describe(prom.rules.where(name="ModelDrift")).should_not.be_empty()
    describe(prom.rules.where(type="recording")).its("names").should.include("inspecpy:compliance:ratio")
    describe(prom.alerts.where(alertname="ModelDrift", state="firing")).should.be_empty()
    describe(prom.alerts.where(alertname="InspecpyHighImpactControlFailing")).its("names").should.include(
        "InspecpyHighImpactControlFailing")
    describe(prom.targets.where(health=lambda h: h != "up")).should.be_empty()
    describe(prom.targets).its("jobs").should.include("exporter")
'''

MONITOR_METADATA = """\
name: monitor
inputs:
  - {name: prom_url, required: true}
  - {name: robust_accuracy, type: Numeric, required: true}
"""

MONITOR_YAML = '''
- id: mon-yaml
  describe:
    - prometheus: {url: {input: prom_url}, promql: 'count(inspecpy_control_status{job="inspecpy"})'}
      its: {query.value: {eq: 4.0}}
    - prometheus: {url: {input: prom_url}, promql: 'inspecpy_target_up{job="inspecpy"}', since: 10m}
      its: {query_range.min: {eq: 1.0}}
    - prometheus: {input: prom_url}
      its:
        rules.names: {include: ModelDrift}
        alerts.firing: {should_not: {include: ModelDrift}}
        targets.down: {be_empty: null}
'''


def parse(text: str) -> dict[str, list]:
    found: dict[str, list] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append(sample)
    return found


@dataclass
class Stack:
    gateway: Pushgateway
    prometheus: PrometheusServer
    exporter: ExporterProcess
    root: Path


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """A Pushgateway and an exporter, both scraped by one Prometheus with the alert rules: shared by the module."""
    root = tmp_path_factory.mktemp("monitoring")
    served = write_profile(root, "served", controls={"c.py": SERVED})
    with Pushgateway.start_new(root / "pgw") as gateway, PrometheusServer.start_new(root / "prom") as prometheus:
        exporter = ExporterProcess.start(root / "exporter", str(served), "--interval", "1s")
        try:
            prometheus.add_scrape_target("pushgateway", gateway.address, honor_labels=True)
            prometheus.add_scrape_target("exporter", exporter.address)
            prometheus.load_rules("inspecpy", RULES)
            prometheus.wait_rule_group("inspecpy")
            yield Stack(gateway, prometheus, exporter, root)
        finally:
            assert exporter.stop() == 0


def test_results_flow_from_a_run_through_pushgateway_and_exporter_into_prometheus_and_back(stack, tmp_path):
    shop = write_profile(tmp_path, "shop", controls={"shop.py": SHOP})
    pushed = run_cli("exec", shop, "--reporter", f"json:{tmp_path / 'shop.json'}",
                     f"prometheus:{stack.gateway.url}", f"prometheus:{tmp_path / 'shop.prom'}")
    assert pushed.code == 100, pushed.err  # shop-root-login fails, as it should
    assert pushed.err == ""

    # what the Pushgateway holds is what the textfile says (read with prometheus_client's parser)
    textfile = parse((tmp_path / "shop.prom").read_text())
    gateway = parse(stack.gateway.metrics())
    [robust] = textfile["inspecpy_model_robust_accuracy"]
    [held] = [s for s in gateway["inspecpy_model_robust_accuracy"] if s.labels["control"] == "shop-robust"]
    assert held.value == robust.value and held.labels["job"] == "inspecpy" and held.labels["target"] == "local://"

    stack.prometheus.wait_query('inspecpy_model_robust_accuracy{job="inspecpy"}')
    stack.prometheus.wait_query('inspecpy_control_status{job="exporter"}')
    stack.prometheus.wait_query('ALERTS{alertname="InspecpyHighImpactControlFailing",alertstate="firing"}')

    monitor = write_profile(tmp_path, "monitor", controls={"mon.py": MONITOR, "mon.yml": MONITOR_YAML},
                            metadata=MONITOR_METADATA)
    checked = run_cli("exec", monitor, "--input", f"prom_url={stack.prometheus.url}",
                      f"robust_accuracy={robust.value!r}", "--reporter", "cli", f"json:{tmp_path / 'mon.json'}")
    assert checked.code == 0, checked.out + checked.err
    report = json.loads((tmp_path / "mon.json").read_text())
    results = [r for c in report["profiles"][0]["controls"] for r in c["results"]]
    assert len(results) == 20 and {r["status"] for r in results} == {"passed"}


def test_a_push_replaces_the_group_so_removed_controls_disappear(stack, tmp_path):
    url = f"prometheus:{stack.gateway.url}?job=replace-test"
    both = write_profile(tmp_path, "both", controls={"c.py": SERVED + SERVED.replace("served-1", "gone-soon")})
    assert run_cli("exec", both, "--reporter", url).code == 0
    assert 'control="gone-soon"' in stack.gateway.metrics()
    one = write_profile(tmp_path / "again", "both", controls={"c.py": SERVED})
    assert run_cli("exec", one, "--reporter", url).code == 0
    text = stack.gateway.metrics()
    assert 'control="gone-soon"' not in text
    assert re.search(r'inspecpy_control_status\{control="served-1",[^}]*job="replace-test"', text)


def test_every_dashboard_query_runs_on_prometheus_and_finds_data(stack, tmp_path):
    """The Grafana dashboard's PromQL, with its variables set to All, on the data the first test pushed."""
    dashboard = json.loads((ROOT / "docs" / "grafana" / "inspecpy-dashboard.json").read_text())
    shop = write_profile(tmp_path, "shop", controls={"shop.py": SHOP})
    run_cli("exec", shop, "--reporter", f"prometheus:{stack.gateway.url}?job=dashboard")
    stack.prometheus.wait_query('inspecpy_model_safe{job="dashboard"}')
    stack.prometheus.wait_query("inspecpy_exporter_runs_total offset 5s")  # increase() needs two points
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            expr = (target["expr"].replace("$target", ".*").replace("$profile", ".*")
                    .replace("$__rate_interval", "1m"))
            assert stack.prometheus.query(expr), f"{panel['title']}: no data for {expr}"


def test_the_exporter_answers_scrapes_during_a_run_and_never_runs_for_a_scrape(tmp_path, exporter_factory):
    marks = tmp_path / "runs.log"
    slow = write_profile(tmp_path, "slow", controls={"c.py": f'''
import time
from inspecpy import control, describe

@control("slow-1")
def _():
    with open({str(marks)!r}, "a") as log:
        log.write(f"start {{time.monotonic()}}\\n")
    time.sleep(1.5)
    describe(1).should.eq(1)
    with open({str(marks)!r}, "a") as log:
        log.write(f"end {{time.monotonic()}}\\n")
'''})
    exporter = exporter_factory(str(slow), "--interval", "0.1s", "--max-runs", "3")
    text = exporter.wait_for(r"^inspecpy_exporter_runs_total 1\.0")
    assert 'control="slow-1"' in text
    during = exporter.wait_for(r"^inspecpy_exporter_run_in_progress 1\.0")  # the second run is going on
    assert 'control="slow-1"' in during  # ... and the first one's results are served meanwhile
    assert exporter.process.wait(timeout=60) == 0  # --max-runs: it stops by itself
    events = [line.split() for line in marks.read_text().splitlines()]
    assert [kind for kind, _ in events] == ["start", "end"] * 3  # one run at a time, never overlapping
    assert "stopped after 3 run(s)" in exporter.log.read_text()


def test_an_exporter_that_never_gets_ready_is_stopped_by_start(tmp_path, monkeypatch):
    served = write_profile(tmp_path, "served", controls={"c.py": SERVED})
    pids = []

    def never_ready(self, pattern, timeout=60):
        pids.append(self.process.pid)
        raise AssertionError("not ready")

    monkeypatch.setattr(ExporterProcess, "wait_for", never_ready)
    with pytest.raises(AssertionError, match="not ready"):
        ExporterProcess.start(tmp_path / "exporter", str(served), "--interval", "1h")
    [pid] = pids
    assert not alive(pid)  # start() stopped it: nothing else holds its PID


def test_scrapes_do_not_trigger_runs_and_sigterm_ends_cleanly(tmp_path, exporter_factory):
    served = write_profile(tmp_path, "served", controls={"c.py": SERVED})
    exporter = exporter_factory(str(served), "--interval", "1h")
    exporter.wait_for(r"^inspecpy_exporter_runs_total 1\.0")
    for _ in range(20):
        assert re.search(r"^inspecpy_exporter_runs_total 1\.0$", exporter.metrics(), re.M)
    assert exporter.stop() == 0
    with socket.socket() as again:  # nothing listens there any more (SO_REUSEADDR, as a restarted exporter binds)
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", exporter.port))
        again.listen()
    assert exporter.log.read_text().splitlines()[-1] == "inspecpy exporter: stopped after 1 run(s)"


def test_sigterm_during_a_long_run_ends_it_and_the_exporter(tmp_path, exporter_factory):
    pid_file = tmp_path / "run.pid"
    served = write_profile(tmp_path, "long", controls={"c.py": f'''
import os, time
from inspecpy import control

@control("long-1")
def _():
    open({str(pid_file)!r}, "w").write(str(os.getpid()))
    time.sleep(300)
'''})
    exporter = exporter_factory(str(served), wait=False)
    exporter.wait_for(r"^inspecpy_exporter_run_in_progress 1\.0")
    deadline = time.monotonic() + 60
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    run_pid = int(pid_file.read_text())
    assert run_pid != exporter.process.pid  # the run has a process of its own
    assert exporter.stop() == 0
    assert exporter.log.read_text().splitlines() == [
        f"inspecpy exporter: serving http://{exporter.address}/metrics, a run every 300 s",
        "inspecpy exporter: stopped after 0 run(s)"]
    with pytest.raises(ProcessLookupError):  # the run's process was ended too, not left sleeping
        os.kill(run_pid, 0)
