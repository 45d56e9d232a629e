"""Bad input and faults around monitoring (issue 15): each gives one clear line or a failed result that
says why, and loses nothing else. Real Pushgateway and Prometheus servers where one is involved."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest
from prometheus_client import CollectorRegistry, Summary, delete_from_gateway, push_to_gateway
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import run_cli, write_profile
from tests.integration.sshd import free_port
from tests.servers.prometheus import PrometheusServer, Pushgateway

PASSING = """
from inspecpy import control, describe

@control("good")
def _():
    describe(1).should.eq(1)
"""


def one_line(err: str) -> str:
    [line] = err.splitlines()
    return line


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    with Pushgateway.start_new(tmp_path_factory.mktemp("pgw")) as server:
        yield server


@pytest.fixture(scope="module")
def prom(tmp_path_factory, gateway):
    """Prometheus scraping itself and the Pushgateway: two rows of ``up``."""
    with PrometheusServer.start_new(tmp_path_factory.mktemp("prom"), targets={"pushgateway": [gateway.address]}) \
            as server:
        server.wait_target_up("pushgateway")
        server.wait_target_up("prometheus")
        yield server


@pytest.fixture
def silent_server():
    """A port that accepts connections and never answers (a hung server)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield sock.getsockname()[1]
    sock.close()


# -- the reporter's destinations ---------------------------------------------------------------------


def test_a_pushgateway_that_is_down_costs_the_push_only(tmp_path):
    profile = write_profile(tmp_path, controls={"a.py": PASSING})
    port = free_port()
    run = run_cli("exec", profile, "--reporter", f"json:{tmp_path / 'out.json'}", f"prometheus:http://127.0.0.1:{port}",
                  f"prometheus:{tmp_path / 'out.prom'}")
    assert run.code == 1  # every test passed, but a reporter failed
    assert one_line(run.err) == (f"inspecpy: error: reporter prometheus: cannot push to http://127.0.0.1:{port}: "
                                 "Connection refused")
    assert json.loads((tmp_path / "out.json").read_text())["profiles"][0]["controls"][0]["id"] == "good"
    assert "inspecpy_control_status" in (tmp_path / "out.prom").read_text()


def test_a_pushgateway_that_never_answers_times_out_as_asked(tmp_path, silent_server):
    profile = write_profile(tmp_path, controls={"a.py": PASSING})
    url = f"http://127.0.0.1:{silent_server}?timeout=0.5"
    run = run_cli("exec", profile, "--reporter", "cli", f"prometheus:{url}")
    assert run.code == 1
    assert one_line(run.err) == f"inspecpy: error: reporter prometheus: cannot push to {url}: timed out"
    assert "1 successful control" in run.out


def test_a_pushgateway_password_is_never_shown(tmp_path):
    profile = write_profile(tmp_path, controls={"a.py": PASSING})
    port = free_port()
    run = run_cli("exec", profile, "--reporter", f"prometheus:http://ops:s3cret-pw@127.0.0.1:{port}")
    assert run.code == 1
    assert "s3cret-pw" not in run.err + run.out
    assert f"cannot push to http://ops@127.0.0.1:{port}: Connection refused" in run.err


def test_a_push_the_pushgateway_refuses_quotes_its_reason(tmp_path, gateway):
    """A metric of the same name but another type in another group: Pushgateway answers 400 and says why."""
    registry = CollectorRegistry()
    Summary("inspecpy_controls", "not ours", registry=registry).observe(1)
    push_to_gateway(gateway.url, job="someone-else", registry=registry)
    profile = write_profile(tmp_path, controls={"a.py": PASSING})
    try:
        run = run_cli("exec", profile, "--reporter", f"json:{tmp_path / 'out.json'}",
                      f"prometheus:{gateway.url}?job=refused")
    finally:
        delete_from_gateway(gateway.url, job="someone-else")
    assert run.code == 1
    line = one_line(run.err)
    assert line.startswith(f"inspecpy: error: reporter prometheus: cannot push to {gateway.url}?job=refused: "
                           "Pushgateway answered 400 Bad Request: pushed metrics are invalid or inconsistent")
    assert "inspecpy_controls" in line
    assert (tmp_path / "out.json").exists()


def test_an_unwritable_textfile_path_costs_that_report_only(tmp_path):
    profile = write_profile(tmp_path, controls={"a.py": PASSING})
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    run = run_cli("exec", profile, "--reporter", f"prometheus:{blocker}/inspecpy.prom", f"json:{tmp_path / 'o.json'}")
    assert run.code == 1
    assert one_line(run.err) == (f"inspecpy: error: reporter prometheus: cannot write {blocker}/inspecpy.prom: "
                                 "Not a directory")
    assert (tmp_path / "o.json").exists()


@pytest.mark.parametrize("value, message", [
    ("json:http://127.0.0.1:9091", "reporter 'json' writes files, it cannot send to http:// URLs"),
    ("prometheus:ftp://127.0.0.1:9091", "reporter 'prometheus' writes files, it cannot send to ftp:// URLs"),
    ("prometheus:http://127.0.0.1:9091?jb=x",
     "reporter prometheus: unknown option 'jb' in 'http://127.0.0.1:9091?jb=x' (known: job, timeout)"),
    ("prometheus:http://127.0.0.1:99999", "reporter prometheus: bad port in 'http://127.0.0.1:99999'"),
    ("prometheus:http://127.0.0.1:9091?timeout=0",
     "reporter prometheus: timeout must be a number of seconds > 0 in 'http://127.0.0.1:9091?timeout=0'"),
    ("prometheus:http://:9091", "reporter prometheus: 'http://:9091' is not an http(s)://HOST[:PORT] Pushgateway URL"),
    ("prometheus:http://u:pw@:9091",
     "reporter prometheus: 'http://u@:9091' is not an http(s)://HOST[:PORT] Pushgateway URL"),
])
def test_bad_destinations_are_refused_before_anything_runs(tmp_path, value, message):
    profile = write_profile(tmp_path, controls={"a.py": PASSING.replace("describe(1)", "open('ran', 'w'); describe(1)")})
    run = run_cli("exec", profile, "--reporter", value, cwd=tmp_path)
    assert run.code == 1
    assert one_line(run.err) == f"inspecpy: error: {message}"
    assert not (tmp_path / "ran").exists()


WEIRD_IDS = ['quote " backslash \\ end', "new\nline", "ünïcødé ✓ 控制"]


def test_odd_control_ids_and_tags_survive_a_real_pushgateway(tmp_path, gateway):
    controls = "from inspecpy import control, describe\n" + "".join(
        f"@control({cid!r}, tags={{{cid!r}: None}})\ndef _():\n    describe(1).should.eq(1)\n" for cid in WEIRD_IDS)
    profile = write_profile(tmp_path, controls={"a.py": controls})
    run = run_cli("exec", profile, "--reporter", f"prometheus:{gateway.url}?job=weird")
    assert run.code == 0, run.err
    families = {f.name: f for f in text_string_to_metric_families(gateway.metrics())}
    found = {s.labels["control"]: s.labels["tags"] for s in families["inspecpy_control_status"].samples
             if s.labels["job"] == "weird"}
    assert found == {cid: cid for cid in WEIRD_IDS}


# -- the prometheus resource ----------------------------------------------------------------------------

FAULTS = """
from inspecpy import control, describe, input
from inspecpy.resources import prometheus

URL = input("url")


@control("bad-promql")
def _():
    describe(prometheus(URL).query("sum(up{")).its("value").should.eq(1)


@control("several-rows")
def _():
    describe(prometheus(URL).query("up")).its("value").should.eq(1)


@control("no-rows")
def _():
    describe(prometheus(URL).query("no_such_metric")).its("value").should.eq(1)


@control("range-vector")
def _():
    describe(prometheus(URL).query("up[1m]")).its("count").should.eq(1)


@control("no-samples")
def _():
    describe(prometheus(URL).query_range("no_such_metric", since="5m")).its("min").should.eq(1)


@control("still-runs")
def _():
    describe(prometheus(URL).query("count(up)")).its("value").should.eq(2.0)
"""


def results_by_control(report: dict) -> dict[str, dict]:
    return {c["id"]: c["results"][0] for c in report["profiles"][0]["controls"]}


def test_queries_prometheus_rejects_or_cannot_answer_are_failed_results_that_say_why(tmp_path, prom):
    profile = write_profile(tmp_path, controls={"f.py": FAULTS})
    run = run_cli("exec", profile, "--input", f"url={prom.url}", "--reporter", f"json:{tmp_path / 'r.json'}")
    assert run.code == 100, run.err
    got = results_by_control(json.loads((tmp_path / "r.json").read_text()))
    assert {cid: r["status"] for cid, r in got.items()} == {
        "bad-promql": "failed", "several-rows": "failed", "no-rows": "failed", "range-vector": "failed",
        "no-samples": "failed", "still-runs": "passed"}
    assert got["bad-promql"]["message"] == ("Prometheus rejected the query 'sum(up{': bad_data: invalid parameter "
                                            '"query": 1:8: parse error: unexpected end of input inside braces')
    assert got["several-rows"]["message"].startswith(
        "the query 'up' returned 2 rows, value needs exactly one (aggregate it, or read rows/count): {")
    assert got["no-rows"]["message"] == ("the query 'no_such_metric' returned 0 rows, value needs exactly one "
                                         "(aggregate it, or read rows/count)")
    assert got["range-vector"]["message"].startswith("the query 'up[1m]' returned a range vector: use query_range")
    assert got["no-samples"]["message"] == "the range query 'no_such_metric' returned no samples in the last 5m"
    assert all("exception" not in r for r in got.values())  # failures of the target's state, not errors


def test_an_unreachable_or_hung_prometheus_is_a_failed_result(tmp_path, silent_server):
    port = free_port()
    profile = write_profile(tmp_path, controls={"f.py": f"""
from inspecpy import control, describe
from inspecpy.resources import prometheus

@control("down")
def _():
    describe(prometheus("http://127.0.0.1:{port}").query("up")).its("count").should.eq(1)

@control("hung")
def _():
    describe(prometheus("http://127.0.0.1:{silent_server}", timeout=0.5).alerts).should.be_empty()
"""})
    run = run_cli("exec", profile, "--reporter", f"json:{tmp_path / 'r.json'}")
    assert run.code == 100
    got = results_by_control(json.loads((tmp_path / "r.json").read_text()))
    assert got["down"]["message"] == f"cannot reach Prometheus at http://127.0.0.1:{port}: Connection refused"
    assert got["hung"]["message"] == (f"Prometheus at http://127.0.0.1:{silent_server} did not answer "
                                      "the alerts request within 0.5 s")


def test_credentials_are_checked_by_prometheus_and_never_shown(tmp_path, gateway):
    server = PrometheusServer.start_new(tmp_path / "prom", basic_auth=("ops", "right-pw"))
    try:
        host = f"127.0.0.1:{server.port}"
        metadata = "name: p\ninputs:\n  - {name: pw, sensitive: true}\n  - {name: bad, sensitive: true}\n"
        profile = write_profile(tmp_path, metadata=metadata, controls={"f.py": f"""
from inspecpy import control, describe, input
from inspecpy.resources import prometheus

@control("wrong")
def _():
    describe(prometheus("http://ops:" + input("bad") + "@{host}").rules).should.be_empty()

@control("right")
def _():
    describe(prometheus("http://ops:" + input("pw") + "@{host}").rules).should.be_empty()
"""})
        run = run_cli("exec", profile, "--input", "pw=right-pw", "bad=wrong-pw", "--reporter", "cli",
                      f"json:{tmp_path / 'r.json'}")
        got = results_by_control(json.loads((tmp_path / "r.json").read_text()))
        assert got["wrong"]["message"] == (f"Prometheus at http://{host} answered 401 Unauthorized "
                                           "(check the token or credentials)")
        assert got["right"]["status"] == "passed"
        report = (tmp_path / "r.json").read_text() + run.out + run.err
        assert "right-pw" not in report and "wrong-pw" not in report
    finally:
        server.stop()


# -- the exporter -----------------------------------------------------------------------------------------


def test_an_exporter_whose_profile_breaks_serves_an_error_and_keeps_the_last_results(tmp_path, exporter_factory):
    profile = write_profile(tmp_path, controls={"a.py": PASSING})
    exporter = exporter_factory(str(profile), "--interval", "0.2s")
    try:
        exporter.wait_for(r'^inspecpy_control_status\{control="good"')
        (profile / "inspec.yml").write_text("name: [unclosed\n")
        text = exporter.wait_for(r"^inspecpy_exporter_run_errors_total [1-9]")
        assert 'inspecpy_control_status{control="good"' in text  # the last good results, still served
        assert "inspecpy_exporter_last_run_success 0.0" in text
        (profile / "inspec.yml").write_text("name: p\n")
        exporter.wait_for(r"^inspecpy_exporter_last_run_success 1\.0")
    finally:
        assert exporter.stop() == 0
    lines = [line for line in exporter.log.read_text().splitlines() if "failed" in line]
    assert lines and all(line.startswith("inspecpy: error: exporter run ") and "inspec.yml" in line for line in lines)


def test_an_exporter_on_a_port_in_use_says_so_in_one_line(tmp_path):
    profile = write_profile(tmp_path, controls={"a.py": PASSING})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = run_cli("exporter", profile, "--listen", f"127.0.0.1:{port}", timeout=60)
    assert run.code == 1
    assert one_line(run.err) == f"inspecpy: error: cannot listen on 127.0.0.1:{port}: Address already in use"


@pytest.mark.parametrize("args, message", [
    (["--listen", "127.0.0.1:9477", "--interval", "5 minutes"],
     "--interval: '5 minutes' is not a duration (e.g. 30s, 5m, 1h30m, 1d)"),
    (["--listen", "127.0.0.1:9477", "--interval", "0s"], "--interval: '0s' is not a duration longer than 0"),
    (["--listen", "9477"], "--listen '9477': expected HOST:PORT, e.g. 127.0.0.1:9477"),
    (["--listen", "127.0.0.1:9477", "--controls", "/(/"], None),
])
def test_exporter_usage_errors_are_one_line(tmp_path, args, message):
    profile = write_profile(tmp_path, controls={"a.py": PASSING})
    run = run_cli("exporter", profile, *args, timeout=60)
    assert run.code == 1
    line = one_line(run.err)
    if message:
        assert line == f"inspecpy: error: {message}"
    else:
        assert line.startswith("inspecpy: error: --controls /(/: not a valid regular expression")


def test_the_exporter_without_listen_is_a_usage_error():
    proc = subprocess.run([sys.executable, "-m", "inspecpy", "exporter", "p"], capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1] == "inspecpy: error: the following arguments are required: --listen"
