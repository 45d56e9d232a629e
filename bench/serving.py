"""Benchmark of model_endpoint: black-box attacks over HTTP against ART, and latency() overhead.

Against one real MLServer (started here, or ``--url``) serving the demo
digits model (LogisticRegression weights of profiles/mlsvs/files/model.npz):

- SimBA and HopSkipJump at eps=0.1 (L-inf), same samples, same per-sample
  budget, driven through the endpoint by inspecpy (``model_endpoint(...)
  .robustness``: batched requests, 4 at a time) and by ART 1.20
  (``BlackBoxClassifier``, or ``BlackBoxClassifierNeuralNetwork`` which SimBA
  requires, whose predict function posts the batch ART hands it, one
  request per call; ``SimBA(attack="px")``,
  ``HopSkipJump(norm=inf)``, whose minimal adversarials are projected onto
  the eps-ball as inspecpy's are): robust accuracy, wall time, queries
  (rows predicted) and HTTP requests of each;
- ``latency()``: seconds per one-row request against a plain
  ``http.client`` loop on one keep-alive connection, sequential.

    python bench/serving.py                       # starts MLServer (the test extra) itself
    python bench/serving.py --samples 100 --hsj-samples 30 --only attacks
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.integration.sshd import free_port  # noqa: E402
from tests.servers.process import ServerProcess, wait_http  # noqa: E402
MODEL = ROOT / "profiles" / "mlsvs" / "files" / "model.npz"
DATA = ROOT / "profiles" / "mlsvs" / "files" / "test.npz"
EPS = 0.1


class PlainClient:
    """What a user would write: one http.client connection, one request per call, counted."""

    def __init__(self, url: str, model: str):
        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.path = f"/v2/models/{model}/infer"
        self.rows = self.requests = 0

    def post(self, body: bytes) -> bytes:
        try:
            self.conn.request("POST", self.path, body, {"Content-Type": "application/json"})
            reply = self.conn.getresponse()
        except (ConnectionError, http.client.HTTPException):  # the server closed an idle keep-alive
            self.conn.close()
            self.conn.request("POST", self.path, body, {"Content-Type": "application/json"})
            reply = self.conn.getresponse()
        data = reply.read()
        if reply.status != 200:
            raise RuntimeError(f"HTTP {reply.status}: {data[:200]!r}")
        return data

    def proba(self, x: np.ndarray) -> np.ndarray:
        x = x.reshape(len(x), -1)
        self.rows += len(x)
        self.requests += 1
        body = json.dumps({"inputs": [{"name": "input-0", "shape": list(x.shape), "datatype": "FP64",
                                       "data": x.astype(np.float64).ravel().tolist()}],
                           "outputs": [{"name": "predict_proba"}]}).encode()
        out = json.loads(self.post(body))["outputs"][0]
        return np.asarray(out["data"]).reshape(out["shape"])


def project_linf(x, adv, eps):
    return np.clip(x + np.clip(adv - x, -eps, eps), 0.0, 1.0)


def art_attack(url, model, attack, X, y, budget):
    from art.attacks.evasion import HopSkipJump, SimBA
    from art.estimators.classification import BlackBoxClassifier, BlackBoxClassifierNeuralNetwork

    client = PlainClient(url, model)
    start = time.perf_counter()
    if attack == "simba":
        # SimBA asks for ART's neural-network mixin: its black-box wrapper that has it
        clf = BlackBoxClassifierNeuralNetwork(client.proba, input_shape=(8, 8, 1), nb_classes=10,
                                              channels_first=False, clip_values=(0.0, 1.0))
        adv = SimBA(clf, attack="px", max_iter=budget["max_iter"], epsilon=EPS, order="random",
                    verbose=False).generate(X.reshape(-1, 8, 8, 1).astype(np.float32), y=np.eye(10)[y])
        adv = adv.reshape(len(X), -1)
    else:
        clf = BlackBoxClassifier(client.proba, input_shape=(64,), nb_classes=10, clip_values=(0.0, 1.0))
        adv = HopSkipJump(clf, norm=np.inf, max_iter=budget["steps"], max_eval=1000, init_eval=100,
                          init_size=100, verbose=False).generate(X.astype(np.float32), y=np.eye(10)[y])
        adv = project_linf(X, adv, EPS)
    attack_rows, attack_requests = client.rows, client.requests
    robust = float(np.mean(np.argmax(client.proba(adv), axis=1) == y))
    seconds = time.perf_counter() - start
    return robust, seconds, attack_rows, attack_requests


def bench_attacks(url, model, samples, hsj_samples):
    from inspecpy.ml.serving.budget import attack_settings
    from inspecpy.resources import model_endpoint

    data = np.load(DATA)
    ep = model_endpoint(url, model=model)
    rows = [("simba", samples, 2 * 64 + 2), ("hopskipjump", hsj_samples, 1000)]
    print(f"\nblack-box attacks over HTTP, eps={EPS} (L-inf), digits test data, inputs in [0, 1]")
    print(f"  {'':<34}{'robust acc':>11}{'seconds':>10}{'queries':>10}{'requests':>10}")
    for attack, n, max_queries in rows:
        rng = np.random.default_rng(0)
        pick = np.sort(rng.choice(len(data["X"]), n, replace=False))
        X, y = data["X"][pick].astype(np.float64), data["y"][pick]
        start = time.perf_counter()
        ours = ep.robustness((X, y), attack=attack, eps=EPS, max_queries=max_queries, clip_min=0, clip_max=1)
        mine_s = time.perf_counter() - start
        budget = attack_settings(attack, max_queries, 64)
        print(f"  {'inspecpy ' + attack + f' ({n} samples, {budget})':<34}")
        print(f"  {'':<34}{ours.robust_accuracy:>11.3f}{mine_s:>10.2f}{ours.queries:>10}{ours.requests:>10}")
        try:
            import art  # noqa: F401
        except ImportError:
            print("  ART: not installed (pip install adversarial-robustness-toolbox)")
            continue
        robust, art_s, art_rows, art_requests = art_attack(url, model, attack, X, y, budget)
        print(f"  {'ART ' + attack + ' (BlackBoxClassifier)':<34}{robust:>11.3f}{art_s:>10.2f}"
              f"{art_rows + n:>10}{art_requests + 1:>10}")
        print(f"    inspecpy {art_s / mine_s:.1f}x faster (goal >= 5x), {art_requests / ours.requests:.0f}x fewer "
              f"requests; robust accuracy differs by {abs(robust - ours.robust_accuracy) * 100:.1f} points "
              "(goal <= 3)")


def bench_latency(url, model, label, n=200, rounds=10):
    from inspecpy.ml.serving.client import HttpClient
    from inspecpy.ml.serving.timing import measure

    x = np.load(DATA)["X"][:1]
    body = json.dumps({"inputs": [{"name": "input-0", "shape": [1, 64], "datatype": "FP64",
                                   "data": x.ravel().tolist()}]}).encode()
    plain = PlainClient(url, model)
    client = HttpClient(url)
    for _ in range(20):  # warm both connections
        plain.post(body)
        client.request("POST", plain.path, body)
    ours, theirs = [], []
    for _ in range(rounds):  # alternate, keep each side's best round (the machine is shared)
        start = time.perf_counter()
        for _ in range(n):
            plain.post(body)
        theirs.append((time.perf_counter() - start) / n)
        lat = measure(client, "POST", plain.path, [body], samples=n, concurrency=1)
        ours.append(lat.seconds / n)
    import statistics

    print(f"\nlatency() against {label}: {n} sequential one-row requests, {rounds} alternating rounds")
    print(f"  {'':<30}{'best':>9}{'median':>10}")
    print(f"  {'plain http.client loop':<30}{min(theirs) * 1000:9.3f}{statistics.median(theirs) * 1000:10.3f} ms/request")
    print(f"  {'inspecpy latency()':<30}{min(ours) * 1000:9.3f}{statistics.median(ours) * 1000:10.3f} ms/request")
    print(f"  {'overhead':<30}{(min(ours) - min(theirs)) * 1000:9.3f}"
          f"{(statistics.median(ours) - statistics.median(theirs)) * 1000:10.3f} ms/request (goal < 1 ms)")


@dataclass
class StaticNginx(ServerProcess):
    """nginx answering every request at once with a fixed v2 answer: the client's cost shows alone.

    Stopped by the master's PID (SIGTERM: fast shutdown; the worker exits with it), as tests/servers/nginx_tls.py."""

    port: int = 0

    log_name: ClassVar[str] = "error.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    def start_new(cls, workdir: Path) -> "StaticNginx":
        """Write nginx.conf in *workdir*, start nginx and wait until it answers (stopped if it does not)."""
        server = cls(workdir=workdir, port=free_port())
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (workdir / sub).mkdir(parents=True, exist_ok=True)
        temp = " ".join(f"{sub}_temp_path {workdir}/{sub};" for sub in ("proxy", "fastcgi", "uwsgi", "scgi"))
        (workdir / "nginx.conf").write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1; daemon off; pid {workdir}/nginx.pid; error_log {server.log};
events {{ worker_connections 64; }}
http {{ access_log off; client_body_temp_path {workdir}/body; {temp}
  server {{ listen 127.0.0.1:{server.port};
    location / {{ default_type application/json;
      return 200 '{{"outputs": [{{"name": "predict", "shape": [1, 1], "datatype": "INT64", "data": [4]}}]}}'; }} }} }}
""")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        server._launch([nginx, "-p", str(workdir), "-c", str(workdir / "nginx.conf")],
                       lambda: wait_http(f"{server.url}/", server.process, 20, server.log))
        return server


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an MLServer already serving the demo model (default: start one)")
    parser.add_argument("--model", default="digits")
    parser.add_argument("--samples", type=int, default=100, help="samples attacked with SimBA")
    parser.add_argument("--hsj-samples", type=int, default=30, help="samples attacked with HopSkipJump")
    parser.add_argument("--only", choices=("latency", "attacks"), help="run one half")
    args = parser.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    import warnings

    warnings.filterwarnings("ignore", message="PyTorch not found")  # ART's, on import
    if args.url:
        run(args.url, args)
        return
    from tests.servers.mlserver import MLServer

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with MLServer.start_new(Path(tmp), model_name=args.model) as server:
            print(f"MLServer 1.7 at {server.url} (started in {time.perf_counter() - start:.1f} s, "
                  "parallel_workers 0)")
            run(server.url, args)


def run(url, args):
    if args.only != "latency":
        bench_attacks(url, args.model, args.samples, args.hsj_samples)
    if args.only == "attacks":
        return
    with tempfile.TemporaryDirectory() as tmp, StaticNginx.start_new(Path(tmp)) as static:
        bench_latency(static.url, args.model, "nginx answering a fixed JSON (the client's own cost)")
    bench_latency(url, args.model, "MLServer")


if __name__ == "__main__":
    main()
