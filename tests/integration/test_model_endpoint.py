"""model_endpoint against real servers: MLServer (v2), nginx in front with TLS and a token, KServe (v1).

``mlserver`` and ``nginx_tls`` are the session fixtures of ``tests/servers/``
(MLServer 1.7 with its defaults serving the mlsvs demo model; nginx with a
throwaway CA, a bearer token and a plain-HTTP port that redirects to HTTPS).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from inspecpy.errors import ResourceFailed
from inspecpy.resources import dataset, model, model_endpoint
from tests.conftest import run_cli
from tests.integration.kserve_v1 import KServeV1, why_missing
from tests.integration.serving_demo import DefaultMLServer

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "profiles" / "model-serving"
DEMO_MODEL = ROOT / "profiles" / "mlsvs" / "files" / "model.npz"
DEMO_DATA = ROOT / "profiles" / "mlsvs" / "files" / "test.npz"


@pytest.fixture
def nginx(nginx_tls):
    return nginx_tls


@pytest.fixture(scope="module")
def mlserver_defaults(tmp_path_factory):
    with DefaultMLServer.start_new(tmp_path_factory.mktemp("mlserver-defaults")) as server:
        yield server


def behind_nginx(nginx, **options):
    return model_endpoint(nginx.https_url, model="digits", token=nginx.token, ca_file=str(nginx.ca_file), **options)


# -- v2 on MLServer ----------------------------------------------------------------------------
def test_health_and_metadata_of_mlserver(mlserver):
    ep = model_endpoint(mlserver.url)  # protocol and model asked from the server
    assert (ep.protocol, ep.model_name) == ("v2", "digits")
    assert ep.live and ep.ready and ep.model_ready
    assert ep.metadata.name == "digits"
    assert ep.declares_schema is False  # MLServer's scikit-learn runtime declares no inputs
    assert str(ep) == f"Model endpoint {mlserver.url}"


def test_error_hygiene_reports_mlserver_500_with_a_traceback(mlserver_defaults):
    result = model_endpoint(mlserver_defaults.url, model="digits").error_hygiene()
    probes = {p.name: p for p in result.probes}
    assert probes["wrong shape"].status == 500
    assert "wrong shape: HTTP 500: a server error (a malformed request must get a 4xx)" in result.violations
    assert "wrong shape: the answer shows a Python traceback" in result.violations
    assert (probes["unknown model"].status, probes["unknown model"].broken_rules) == (404, ())
    assert (probes["non-JSON body"].status, probes["non-JSON body"].broken_rules) == (422, ())
    assert probes["NaN and infinity"].broken_rules == ()


def test_an_open_endpoint_does_not_require_auth(mlserver):
    ep = model_endpoint(mlserver.url, model="digits")
    assert ep.requires_auth is False
    assert "GET /v2/models/digits without credentials: HTTP 200" in ep.auth_findings
    assert ep.tls.enabled is False and ep.plain_http_refused is False


def test_served_predictions_agree_with_the_pinned_file(mlserver):
    ep = model_endpoint(mlserver.url, model="digits")
    result = ep.agreement(model(str(DEMO_MODEL)), dataset(str(DEMO_DATA)))
    assert (result.agreement, result.disagreements, result.samples) == (1.0, 0, 360)
    X = np.load(DEMO_DATA)["X"]
    assert ep.predict(X[:7]).tolist() == model(str(DEMO_MODEL)).predict(X[:7]).tolist()


def test_a_swapped_model_is_caught(mlserver, tmp_path):
    arrays = dict(np.load(DEMO_MODEL))
    arrays["W0"] = arrays["W0"][:, [1, 0, *range(2, 10)]]  # classes 0 and 1 swapped
    other = tmp_path / "other.npz"
    np.savez(other, **arrays)
    result = model_endpoint(mlserver.url, model="digits").agreement(model(str(other)), dataset(str(DEMO_DATA)))
    assert result.agreement < 0.9 and result.disagreements > 30
    assert {e["served"] for e in result.examples} <= {0, 1} and {e["pinned"] for e in result.examples} <= {0, 1}


def test_simba_over_http_gives_the_local_figure(mlserver):
    ep = model_endpoint(mlserver.url, model="digits", pinned_model=str(DEMO_MODEL))
    remote = ep.robustness(dataset(str(DEMO_DATA)), attack="simba", eps=0.1, max_queries=200, samples=120)
    local = model(str(DEMO_MODEL)).robustness(dataset(str(DEMO_DATA)), attack="simba", eps=0.1, samples=120)
    assert remote.robust_accuracy == local.robust_accuracy < remote.clean_accuracy == local.clean_accuracy
    assert 120 * 2 < remote.queries <= 120 * (200 + 2)
    assert remote.requests < remote.queries / 10  # batched
    assert remote.max_queries == 200


def test_hopskipjump_over_http(mlserver):
    ep = model_endpoint(mlserver.url, model="digits")
    result = ep.robustness(dataset(str(DEMO_DATA)), attack="hopskipjump", eps=0.1, max_queries=1000,
                           samples=40, clip_min=0, clip_max=1)
    local = model(str(DEMO_MODEL)).robustness(dataset(str(DEMO_DATA)), attack="hopskipjump", eps=0.1,
                                               samples=40, steps=4)
    assert result.robust_accuracy == local.robust_accuracy < result.clean_accuracy
    assert result.queries <= 40 * (1000 + 2)


def test_the_input_range_is_never_guessed(mlserver):
    ep = model_endpoint(mlserver.url, model="digits")
    with pytest.raises(ResourceFailed, match="valid input range is unknown: give clip_min= and clip_max="):
        ep.robustness(dataset(str(DEMO_DATA)), attack="simba")


def test_latency(mlserver):
    result = model_endpoint(mlserver.url, model="digits").latency(samples=40, concurrency=4,
                                                                 dataset=dataset(str(DEMO_DATA)))
    assert (result.requests, result.errors, result.concurrency) == (40, 0, 4)
    assert 0 < result.p50 <= result.p95 <= result.p99 <= result.max


# -- nginx in front: TLS, token, plain HTTP -----------------------------------------------------
def test_tls_behind_nginx(nginx):
    tls = behind_nginx(nginx).tls
    assert tls.enabled and tls.verified and tls.hostname_match and tls.error is None
    assert tls.version in ("TLSv1.2", "TLSv1.3")
    assert 1 < tls.days_to_expiry <= 2  # the fixture's certificate is valid two days
    assert tls.issuer["CN"] == "inspecpy test CA" and "IP:127.0.0.1" in tls.sans


def test_an_unknown_ca_is_reported_with_the_certificate(nginx):
    ep = model_endpoint(nginx.https_url, model="digits", token=nginx.token)
    assert ep.tls.verified is False and ep.tls.subject["CN"] == "localhost"
    assert "unable to get local issuer certificate" in ep.tls.error
    with pytest.raises(ResourceFailed, match=r"TLS certificate of 127\.0\.0\.1:\d+ not verified: unable to get "
                                             r"local issuer certificate \(give ca_file= for a private CA\)"):
        ep.ready


def test_auth_behind_nginx(nginx):
    ep = behind_nginx(nginx)
    assert ep.ready and ep.model_ready
    assert ep.requires_auth is True and ep.auth_findings == []
    wrong = model_endpoint(nginx.https_url, model="digits", token="not-the-token", ca_file=str(nginx.ca_file))
    with pytest.raises(ResourceFailed, match="HTTP 401"):
        wrong.metadata


def test_plain_http(nginx, mlserver):
    assert behind_nginx(nginx, plain_ports=[nginx.http_port]).plain_http_refused is True  # 301 to HTTPS
    bypass = behind_nginx(nginx, plain_ports=[mlserver.http_port])  # the model server's own port, in clear
    assert bypass.plain_http_refused is False
    assert f"GET http://127.0.0.1:{mlserver.http_port}/v2/models/digits: HTTP 200 over plain HTTP" \
        in bypass.plain_http_findings


def test_nginx_refuses_a_body_over_its_limit_and_passes_server_errors_through(nginx):
    result = behind_nginx(nginx).error_hygiene(huge_bytes=80 << 20)  # nginx's client_max_body_size is 64m
    probes = {p.name: p for p in result.probes}
    assert (probes["huge body"].status, probes["huge body"].broken_rules) == (413, ())
    assert "wrong shape: HTTP 500: a server error (a malformed request must get a 4xx)" in result.violations
    assert not any("traceback" in v for v in result.violations)  # the fixture's MLServer has debug off


# -- the profile, as a user runs it ----------------------------------------------------------------
def statuses(report: Path) -> dict[str, str]:
    data = json.loads(report.read_text())
    out = {}
    for control in data["profiles"][0]["controls"]:
        kinds = {r["status"] for r in control["results"]}
        out[control["id"]] = "failed" if "failed" in kinds else kinds.pop()
    return out


def test_profile_against_plain_mlserver_with_its_defaults(mlserver_defaults, tmp_path):
    report = tmp_path / "out.json"
    run = run_cli("exec", PROFILE, "--input", f"endpoint_url={mlserver_defaults.url}", "--no-color",
                  "--reporter", "cli", f"json:{report}", timeout=600)
    assert run.code == 100, run.err
    assert statuses(report) == {
        "serving-01": "passed", "serving-02": "failed", "serving-03": "failed", "serving-04": "failed",
        "serving-05": "failed", "serving-06": "failed", "serving-07": "passed", "serving-08": "passed",
        "serving-09": "passed"}
    assert "wrong shape: HTTP 500: a server error" in run.out and "Python traceback" in run.out


@pytest.mark.parametrize("how", ["input", "env"])
def test_profile_behind_nginx_never_shows_the_token(nginx, tmp_path, how):
    reports = [tmp_path / "out.json", tmp_path / "out.html", tmp_path / "out.xml"]
    args = ["--input", f"endpoint_url={nginx.https_url}", f"endpoint_ca_file={nginx.ca_file}",
            "min_days_to_expiry=1"]  # the fixture's throwaway certificate is valid two days
    env = dict(os.environ)
    if how == "input":
        args.append(f"endpoint_token={nginx.token}")
    else:
        env["INSPECPY_ENDPOINT_TOKEN"] = nginx.token
    run = run_cli("--debug", "exec", PROFILE, *args, "--no-color", "--reporter", "cli", f"json:{reports[0]}",
                  f"html:{reports[1]}", f"junit:{reports[2]}", env=env, timeout=600)
    assert run.code == 100, run.err
    assert statuses(reports[0]) == {
        "serving-01": "passed", "serving-02": "passed", "serving-03": "passed", "serving-04": "passed",
        "serving-05": "failed", "serving-06": "failed", "serving-07": "passed", "serving-08": "passed",
        "serving-09": "passed"}
    for text in (run.out, run.err, *(r.read_text() for r in reports)):
        assert nginx.token not in text


# -- v1 on KServe's ModelServer -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def kserve(tmp_path_factory):
    missing = why_missing()
    if missing:
        pytest.fail(missing)
    with KServeV1.start_new(tmp_path_factory.mktemp("kserve")) as server:
        yield server


def test_kserve_v1(kserve):
    ep = model_endpoint(kserve.url, protocol="v1", pinned_model=str(DEMO_MODEL), dataset=str(DEMO_DATA))
    assert ep.model_name == "digits"  # listed by GET /v1/models
    assert ep.live and ep.ready and ep.model_ready
    assert ep.agreement().agreement == 1.0
    result = ep.robustness(attack="hopskipjump", eps=0.1, max_queries=1000, samples=30)
    local = model(str(DEMO_MODEL)).robustness(dataset(str(DEMO_DATA)), attack="hopskipjump", eps=0.1,
                                               samples=30, steps=4)
    assert result.robust_accuracy == local.robust_accuracy
    with pytest.raises(ResourceFailed, match="gives no class scores in its output \\(labels only\\)"):
        ep.robustness(attack="simba", samples=5)


def test_kserve_error_hygiene(kserve):
    result = model_endpoint(kserve.url, protocol="v1", model="digits", dataset=str(DEMO_DATA)).error_hygiene()
    assert "wrong shape: HTTP 500: a server error (a malformed request must get a 4xx)" in result.violations
    assert not any("traceback" in v for v in result.violations)  # KServe answers the exception's text only
    assert {p.name: p.status for p in result.probes}["non-JSON body"] == 400


def test_auto_detects_kserve_v2_too(kserve):
    assert model_endpoint(kserve.url).protocol == "v2"  # KServe's ModelServer speaks both


def test_yaml_form(mlserver, tmp_path):
    profile = tmp_path / "p"
    (profile / "controls").mkdir(parents=True)
    (profile / "inspec.yml").write_text("name: p\ninputs:\n  - name: url\n    type: String\n")
    (profile / "controls" / "serving.yml").write_text(f"""
- id: yaml-endpoint
  describe:
    - model_endpoint: {{url: {{input: url}}, model: digits, pinned_model: {DEMO_MODEL}, dataset: {DEMO_DATA}}}
      its:
        model_ready: {{eq: true}}
        agreement.agreement: {{eq: 1.0}}
        latency.errors: {{eq: 0}}
        error_hygiene.violations: {{be_empty: null}}
""")
    report = tmp_path / "out.json"
    run = run_cli("exec", profile, "--input", f"url={mlserver.url}", "--reporter", f"json:{report}")
    assert run.code == 100, run.err
    results = json.loads(report.read_text())["profiles"][0]["controls"][0]["results"]
    assert [r["status"] for r in results] == ["passed", "passed", "passed", "failed"]
    assert "wrong shape: HTTP 500" in results[3]["message"]
