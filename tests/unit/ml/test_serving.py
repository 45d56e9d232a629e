"""The pure parts of model_endpoint: protocols, error-hygiene rules, budgets, TLS names, latency figures."""

from __future__ import annotations

import json

import numpy as np
import pytest

from inspecpy.ml.serving.budget import attack_settings
from inspecpy.ml.serving.client import split_url
from inspecpy.ml.serving.hygiene import huge_body, judge, leaks, malformed_requests
from inspecpy.ml.serving.protocol import V1, V2, ProtocolError, features_of, labels_of, scores_of
from inspecpy.ml.serving.timing import summarise
from inspecpy.ml.serving.tls import names_host

MLSERVER_TRACEBACK = '''Traceback (most recent call last):
  File "/srv/venv/lib/python3.11/site-packages/starlette/middleware/errors.py", line 165, in __call__
    await self.app(scope, receive, _send)
ValueError: cannot reshape array of size 4 into shape (1,64)'''


# -- protocols -------------------------------------------------------------------------------
def test_v2_request_is_one_tensor_of_all_rows():
    body = json.loads(V2.encode(np.arange(6.0).reshape(3, 2), "x", "FP32", ("predict_proba",)))
    assert body == {"inputs": [{"name": "x", "shape": [3, 2], "datatype": "FP32", "data": [0, 1, 2, 3, 4, 5]}],
                    "outputs": [{"name": "predict_proba"}]}


def test_v2_answer_is_shaped_as_declared():
    out = V2.decode({"outputs": [{"name": "predict_proba", "shape": [2, 3], "datatype": "FP64",
                                  "data": [0.1, 0.2, 0.7, 0.5, 0.3, 0.2]}]})
    assert out["predict_proba"].shape == (2, 3)
    assert labels_of(out["predict_proba"]).tolist() == [2, 0]
    assert labels_of(out["predict_proba"], np.array(["a", "b", "c"])).tolist() == ["c", "a"]


@pytest.mark.parametrize("answer, message", [
    ({"error": "boom"}, "no 'outputs' list (keys: error)"),
    ([1, 2], "no 'outputs' list (keys: list)"),
    ({"outputs": [{"name": "y", "shape": [3], "datatype": "INT64", "data": [1, 2]}]}, "cannot be read"),
    ({"outputs": [{"name": "y"}]}, "has no 'data'"),
])
def test_v2_answers_that_break_the_protocol_say_how(answer, message):
    with pytest.raises(ProtocolError, match=message.replace("(", r"\(").replace(")", r"\)")):
        V2.decode(answer)


def test_v1_request_and_answer():
    assert json.loads(V1.encode(np.array([[1.0, 2.0]]))) == {"instances": [[1.0, 2.0]]}
    assert V1.decode({"predictions": [3, 4]})["predictions"].tolist() == [3, 4]
    with pytest.raises(ProtocolError, match="no 'predictions'"):
        V1.decode({"error": "x"})
    assert V1.infer("my model") == "/v1/models/my%20model:predict"
    assert V1.is_ready({"name": "m", "ready": True}) and not V1.is_ready({"name": "m", "ready": False})
    assert V1.is_ready({"model_version_status": [{"version": "1", "state": "AVAILABLE"}]})


def test_tf_serving_metadata_gives_the_signature():
    answer = {"model_spec": {"name": "half", "version": "123"}, "metadata": {"signature_def": {"signature_def": {
        "serving_default": {"inputs": {"x": {"dtype": "DT_FLOAT", "tensor_shape": {"dim": [{"size": "-1"},
                                                                                        {"size": "3"}]}}},
                            "outputs": {"y": {"dtype": "DT_FLOAT", "tensor_shape": {"dim": [{"size": "-1"}]}}}}}}}}
    meta = V1.metadata(answer)
    assert meta["name"] == "half" and meta["versions"] == ("123",)
    assert meta["inputs"] == ({"name": "x", "datatype": "DT_FLOAT", "shape": [-1, 3]},)
    assert features_of(meta["inputs"]) == 3


def test_features_and_scores():
    assert features_of(({"name": "x", "datatype": "FP32", "shape": [-1, 64]},)) == 64
    assert features_of(()) is None and features_of(({"shape": [-1]},)) is None
    assert scores_of(np.array([[1], [2]])) is None and scores_of(np.array([[0.2, 0.8]])).shape == (1, 2)


# -- URLs ---------------------------------------------------------------------------------------
def test_urls_are_checked_and_never_echo_credentials():
    assert split_url("http://[::1]:8080/x/") == ("http", "::1", 8080, "/x")
    with pytest.raises(ValueError, match="must start with http:// or https://"):
        split_url("ftp://host")
    with pytest.raises(ValueError, match="holds credentials") as error:
        split_url("https://admin:hunter2@host/")
    assert "hunter2" not in str(error.value)


# -- error hygiene --------------------------------------------------------------------------------
def test_mlserver_traceback_breaks_three_rules():
    assert judge(500, MLSERVER_TRACEBACK, {"server": "uvicorn"}) == [
        "HTTP 500: a server error (a malformed request must get a 4xx)",
        "the answer shows a Python traceback",
        "the answer shows a file path (/srv/venv/lib/python3.11/site-packages/starlette/middleware/)"]


@pytest.mark.parametrize("text, headers, found", [
    ('{"error": "Model nope not found"}', {}, []),
    ('{"detail": [{"type": "json_invalid", "loc": ["body", 0]}]}', {"server": "uvicorn"}, []),
    ("<center>nginx/1.22.1</center>", {"server": "nginx"}, ["a version (nginx/1.22.1)"]),
    ("", {"server": "nginx/1.22.1"}, ["a version in the Server header (nginx/1.22.1)"]),
    ("", {"x-powered-by": "Express 4.18"}, ["a version in the X-Powered-By header (Express 4.18)"]),
    ("error at /v2/models/x/infer", {}, []),  # an API path is not a file path
    ("at com.acme.Serve.run(Serve.java:42)", {}, ["a JVM stack frame"]),
    ("goroutine 1 [running]:", {}, ["a Go stack trace"]),
    (r"C:\srv\app\model.py failed", {}, [r"a file path (C:\srv\app\model.py failed)"]),
    ("scikit-learn 1.3.0 cannot unpickle", {}, ["a version (scikit-learn 1.3.0)"]),
])
def test_leaks(text, headers, found):
    assert leaks(text, headers) == found


@pytest.mark.parametrize("status, broken", [
    (400, []), (404, []), (413, []), (422, []),
    (200, ["HTTP 200: accepted (a malformed request must get a 4xx)"]),
    (503, ["HTTP 503: a server error (a malformed request must get a 4xx)"]),
])
def test_only_a_4xx_is_clean(status, broken):
    assert judge(status, "", {}) == broken


def test_no_answer_is_a_violation():
    assert judge(None, "", {}, "connection reset by 127.0.0.1:1") == [
        "no answer (connection reset by 127.0.0.1:1); a malformed request must get a 4xx"]


@pytest.mark.parametrize("protocol", [V2, V1])
def test_the_malformed_requests(protocol):
    probes = {name: (path, body) for name, path, body in
              malformed_requests(protocol, "digits", 64, huge_bytes=1 << 16)}
    assert list(probes) == ["wrong shape", "wrong datatype", "non-JSON body", "huge body", "unknown model",
                            "NaN and infinity"]
    assert probes["unknown model"][0].startswith(f"/{protocol.name}/models/no-such-model-")
    for name in ("wrong shape", "wrong datatype", "huge body"):
        json.loads(probes[name][1])  # well-formed JSON: only the content is wrong
    assert b"NaN" in probes["NaN and infinity"][1] and b"Infinity" in probes["NaN and infinity"][1]
    with pytest.raises(ValueError):
        json.loads(probes["non-JSON body"][1])
    if protocol is V2:
        shape = json.loads(probes["wrong shape"][1])["inputs"][0]["shape"]
        assert shape == [1, 65]


def test_huge_body_is_well_formed_and_about_the_size_asked():
    body = huge_body(V2, "x", 64, "FP64", 1 << 20)
    tensor = json.loads(body)["inputs"][0]
    assert tensor["shape"] == [4096, 64] and len(tensor["data"]) == 4096 * 64
    assert (1 << 20) * 0.9 < len(body) < (1 << 20) * 1.1


# -- query budgets ------------------------------------------------------------------------------------
def test_budgets_bound_each_attack():
    assert attack_settings("noise", 50, 64) == {"steps": 49}
    assert attack_settings("simba", 1000, 64) == {"max_iter": 64}  # one pass over the features at most
    assert attack_settings("simba", 100, 64) == {"max_iter": 49}
    assert attack_settings("hopskipjump", 1000, 64) == {"steps": 4}
    assert attack_settings("hopskipjump", 5000, 64)["steps"] > 4
    with pytest.raises(ValueError, match="too small for hopskipjump"):
        attack_settings("hopskipjump", 100, 64)
    with pytest.raises(ValueError, match="cannot run over an endpoint"):
        attack_settings("pgd", 100, 64)


def test_simba_counts_its_queries_within_the_budget():
    from inspecpy.ml.attacks.robustness import robustness
    from inspecpy.ml.models.network import Network

    class Counting:
        def __init__(self, net):
            self.net, self.rows = net, 0

        def predict(self, X):
            self.rows += len(X)
            return self.net.predict(X)

        def predict_proba(self, X):
            self.rows += len(X)
            return self.net.predict_proba(X)

    data = np.load("profiles/mlsvs/files/test.npz")
    net = Network.load("profiles/mlsvs/files/model.npz")
    model = Counting(net)
    budget = 40
    r = robustness(model, data["X"][:50], data["y"][:50], attack="simba", eps=0.1, clip_min=0, clip_max=1,
                   **attack_settings("simba", budget, 64))
    assert model.rows <= 50 * (budget + 2)  # the attack's budget plus the two scoring passes
    assert r.robust_accuracy < r.clean_accuracy


# -- TLS names and latency figures ----------------------------------------------------------------
@pytest.mark.parametrize("host, dns, ips, match", [
    ("models.example.org", ["models.example.org"], [], True),
    ("a.example.org", ["*.example.org"], [], True),
    ("a.b.example.org", ["*.example.org"], [], False),
    ("example.org", ["*.example.org"], [], False),
    ("127.0.0.1", ["localhost"], ["127.0.0.1"], True),
    ("127.0.0.2", [], ["127.0.0.1"], False),
])
def test_host_names(host, dns, ips, match):
    assert names_host(host, dns, ips) is match


def test_latency_figures_count_failures_apart():
    lat = summarise([(0.01, None)] * 98 + [(0.5, None), (2.0, "HTTP 503 Service Unavailable")], 4, 3.0)
    assert lat.requests == 100 and lat.errors == 1 and lat.error_examples == ("HTTP 503 Service Unavailable",)
    assert lat.p50 == 0.01 and lat.max == 0.5 and lat.error_rate == 0.01
    none = summarise([(1.0, "timeout")], 1, 1.0)
    assert none.p99 is None and none.errors == 1


def test_health_metadata_and_tls_probes_import_no_numpy():
    """numpy and the attacks load for predictions and attacks only, not for a TLS or metadata check."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    code = ("import sys\n"
            "from inspecpy.resources import model_endpoint\n"
            "from inspecpy.targets import on_target\n"
            "from inspecpy.targets.local import LocalTarget\n"
            "from inspecpy.ml.serving import client, protocol, results, tls\n"
            "from inspecpy.ml.serving.protocol import PROTOCOLS\n"
            "with on_target(LocalTarget()):\n"
            "    ep = model_endpoint('http://127.0.0.1:9', model='m', protocol='v2')\n"
            "    assert ep.tls.enabled is False and ep.protocol == 'v2'\n"
            "    PROTOCOLS['v2'].metadata({'name': 'm', 'inputs': [{'name': 'x', 'datatype': 'FP32', 'shape': [-1, 4]}]})\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'numpy' or m.startswith('inspecpy.ml.attacks')))")
    run = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(root)})
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "[]"
