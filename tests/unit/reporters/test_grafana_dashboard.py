"""docs/grafana/inspecpy-dashboard.json: the fields Grafana 10+ needs to import it, and only metrics we emit.

Grafana itself is not installable here (not in Debian 12, PyPI or npm), so
the dashboard is checked against the dashboard model Grafana documents
(JSON model: title, uid, schemaVersion, panels with id/type/gridPos,
templating); tests/integration/test_monitoring.py runs every panel's
query on a real Prometheus fed by a real run.
"""

from __future__ import annotations

import json
import re

import pytest

from inspecpy.reporters.prometheus import PrometheusReporter
from inspecpy.results import ControlResult, Figure, ProfileResult, RunResult, TestResult
from inspecpy.run.exporter import Exporter, attempt
from tests.conftest import ROOT

DASHBOARD = ROOT / "docs" / "grafana" / "inspecpy-dashboard.json"
PANEL_TYPES = {"row", "stat", "timeseries", "table", "bargauge", "gauge", "text"}
GRAFANA_10_SCHEMA = 38  # the schemaVersion Grafana 10.0 writes; 10.x reads 36 and later without migrating


@pytest.fixture(scope="module")
def dashboard() -> dict:
    return json.loads(DASHBOARD.read_text(encoding="utf-8"))


def data_panels(dashboard: dict) -> list[dict]:
    return [p for p in dashboard["panels"] if p["type"] != "row"]


def queries(dashboard: dict) -> list[str]:
    return [t["expr"] for p in data_panels(dashboard) for t in p["targets"]] + \
        [v["definition"] for v in dashboard["templating"]["list"] if v["type"] == "query"]


def test_the_top_level_fields_grafana_requires(dashboard):
    assert isinstance(dashboard["title"], str) and dashboard["title"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,40}", dashboard["uid"])
    assert dashboard["schemaVersion"] >= GRAFANA_10_SCHEMA
    assert dashboard["id"] is None  # an import creates it
    assert isinstance(dashboard["version"], int)
    assert set(dashboard["time"]) == {"from", "to"}
    assert isinstance(dashboard["templating"]["list"], list) and isinstance(dashboard["panels"], list)
    assert isinstance(dashboard["annotations"]["list"], list)


def test_panels_have_unique_ids_known_types_and_fit_the_24_column_grid(dashboard):
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids)) and all(isinstance(i, int) for i in ids)
    cells: set[tuple[int, int]] = set()
    for panel in dashboard["panels"]:
        assert panel["type"] in PANEL_TYPES, panel["type"]
        assert panel["title"]
        grid = panel["gridPos"]
        assert set(grid) == {"x", "y", "w", "h"} and all(isinstance(v, int) and v >= 0 for v in grid.values())
        assert grid["w"] >= 1 and grid["h"] >= 1 and grid["x"] + grid["w"] <= 24, panel["title"]
        covered = {(x, y) for x in range(grid["x"], grid["x"] + grid["w"])
                   for y in range(grid["y"], grid["y"] + grid["h"])}
        assert not covered & cells, f"{panel['title']} overlaps another panel"
        cells |= covered


def test_every_query_names_its_data_source_and_a_ref_id(dashboard):
    variables = {v["name"] for v in dashboard["templating"]["list"]}
    assert {"datasource", "target", "profile"} <= variables
    for panel in data_panels(dashboard):
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
        refs = [t["refId"] for t in panel["targets"]]
        assert refs and len(refs) == len(set(refs))
        for target in panel["targets"]:
            assert target["expr"].strip() and target["datasource"] == panel["datasource"]
    for expr in queries(dashboard):
        used = set(re.findall(r"\$(\w+)", expr)) - {"__rate_interval", "__interval", "__range"}
        assert used <= variables, expr


def emitted_metric_names() -> set[str]:
    """Every metric name the reporter and the exporter write (figures of each kind included)."""
    figures = tuple(Figure.of(name, 1) for name in (
        "model_robust_accuracy", "model_clean_accuracy", "model_attack_success_rate", "model_accuracy",
        "model_f1", "model_safe", "model_unsafe_globals", "dataset_drift_statistic", "dataset_column_drifted",
        "dataset_pii_findings", "dataset_pii_findings_all"))
    control = ControlResult(id="c", title=None, desc=None, impact=0.5, tags={"t": None},
                            results=(TestResult("passed", "d", figures=figures),))
    run = RunResult(target="local://", platform=None, profiles=(ProfileResult(name="p", controls=(control,)),),
                    duration=1, version="0")
    reporter = PrometheusReporter()
    text = reporter.render([run]) + Exporter(lambda: attempt(lambda: [run], reporter.render), 1).metrics()
    return set(re.findall(r"^# TYPE (\S+)", text.decode(), re.M)) | \
        {name + "_total" for name in re.findall(r"^# TYPE (\S+) counter", text.decode(), re.M)}


def test_every_metric_the_dashboard_reads_is_one_inspecpy_writes(dashboard):
    emitted = emitted_metric_names()
    read = {name for expr in queries(dashboard) for name in re.findall(r"\binspecpy_[a-z_]+", expr)}
    assert read and read <= emitted, read - emitted
    figures = {"inspecpy_model_robust_accuracy", "inspecpy_model_clean_accuracy", "inspecpy_dataset_drift_statistic",
               "inspecpy_dataset_pii_findings", "inspecpy_model_safe"}
    assert figures <= read  # robustness, drift, PII and safety panels are there


def test_the_scrape_config_and_rules_in_the_docs_pass_promtool(tmp_path):
    """docs/monitoring.md's prometheus.yml and inspecpy-rules.yml, checked by Prometheus's own promtool."""
    import shutil
    import subprocess

    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool not installed (Debian's prometheus package; scripts/install-test-deps.sh)")
    text = (ROOT / "docs" / "monitoring.md").read_text(encoding="utf-8")
    blocks = dict(re.findall(r"```yaml\n# (\S+)\n(.*?)```", text, re.S))
    assert set(blocks) == {"prometheus.yml", "inspecpy-rules.yml"}
    for name, body in blocks.items():
        (tmp_path / name).write_text(body)
    rules = subprocess.run([promtool, "check", "rules", str(tmp_path / "inspecpy-rules.yml")],
                           capture_output=True, text=True)
    assert rules.returncode == 0, rules.stdout + rules.stderr
    assert "SUCCESS: 5 rules found" in rules.stdout
    config = subprocess.run([promtool, "check", "config", str(tmp_path / "prometheus.yml")],
                            capture_output=True, text=True, cwd=tmp_path)
    assert config.returncode == 0, config.stdout + config.stderr
