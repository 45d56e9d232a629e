"""MLServer serving a small scikit-learn classifier on loopback.

The model is the mlsvs demo's classifier (``profiles/mlsvs/files/model.npz``,
a LogisticRegression on 8x8 digits scaled to [0, 1]: 64 features, ten
classes) as a scikit-learn ``LogisticRegression`` with the same weights,
saved with joblib in ``WORKDIR/models/NAME/`` beside its
``model-settings.json`` (``mlserver_sklearn.SKLearnModel``). ``settings.json``
sets ``parallel_workers: 0`` (MLServer 1.7.1's worker processes crash with
the current uvloop), ``host 127.0.0.1`` and free HTTP, gRPC and metrics
ports::

    with MLServer.start_new(tmp_path) as server:
        server.url                          # http://127.0.0.1:PORT (v2 / Open Inference Protocol)
        server.infer_url                    # …/v2/models/digits/infer
        server.predict(server.X_test[:5])   # [labels] through the HTTP API
        server.model_npz                    # the same model as an inspecpy .npz network file
        server.test_npz                     # X, y held out (the demo's test.npz)

MLServer comes from the ``test`` extra (``mlserver``, ``mlserver-sklearn``;
1.7.1 supports Python < 3.13 only), which resolves beside the project's
other test dependencies (it brings protobuf 6, fastapi < 0.116, pandas,
grpcio, opentelemetry), so it runs from the test venv's Python; no venv of
its own is needed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from tests.integration.sshd import free_port
from tests.servers.process import stop_process, wait_http

ROOT = Path(__file__).resolve().parents[2]
DEMO_FILES = ROOT / "profiles" / "mlsvs" / "files"
MODEL_NAME = "digits"


def why_not_available() -> str | None:
    """Always None: MLServer needs no privilege (a missing install fails the test, it is no skip)."""
    return None


def demo_estimator(model_npz: Path = DEMO_FILES / "model.npz"):
    """The mlsvs demo's LogisticRegression as a fitted scikit-learn estimator, built from its ``.npz``
    weights (no training: the served model and ``model.npz`` are the same numbers)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    with np.load(model_npz, allow_pickle=False) as weights:
        W0, b0, classes = weights["W0"], weights["b0"], weights["classes"]
    estimator = LogisticRegression(max_iter=3000, C=0.5)
    estimator.coef_, estimator.intercept_ = W0.T.copy(), b0.copy()
    estimator.classes_, estimator.n_features_in_ = classes.copy(), W0.shape[0]
    estimator.n_iter_ = np.array([0])
    return estimator


@dataclass
class MLServer:
    """One running ``mlserver start``; :attr:`url` is its HTTP (v2) endpoint."""

    workdir: Path
    model_name: str = MODEL_NAME
    http_port: int = 0
    grpc_port: int = 0
    metrics_port: int = 0
    host: str = "127.0.0.1"
    process: subprocess.Popen | None = None
    python: str = field(default_factory=lambda: sys.executable)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.http_port}"

    @property
    def infer_url(self) -> str:
        return f"{self.url}/v2/models/{self.model_name}/infer"

    @property
    def metrics_url(self) -> str:
        return f"http://{self.host}:{self.metrics_port}/metrics"

    @property
    def grpc_address(self) -> str:
        return f"{self.host}:{self.grpc_port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def log(self) -> Path:
        return self.workdir / "mlserver.log"

    @property
    def model_dir(self) -> Path:
        return self.workdir / "models" / self.model_name

    @property
    def model_file(self) -> Path:
        return self.model_dir / "model.joblib"

    @property
    def model_npz(self) -> Path:
        return self.workdir / "model.npz"

    @property
    def test_npz(self) -> Path:
        return self.workdir / "test.npz"

    @cached_property
    def X_test(self):
        import numpy as np

        with np.load(self.test_npz) as data:
            return data["X"]

    @cached_property
    def y_test(self):
        import numpy as np

        with np.load(self.test_npz) as data:
            return data["y"]

    @classmethod
    def start_new(cls, workdir: Path, model_name: str = MODEL_NAME, python: str | None = None,
                  timeout: float = 120) -> "MLServer":
        """Train and save the model, write the settings, start MLServer, wait until the model is ready."""
        workdir.mkdir(parents=True, exist_ok=True)
        server = cls(workdir=workdir, model_name=model_name, http_port=free_port(), grpc_port=free_port(),
                     metrics_port=free_port(), python=python or sys.executable)
        server._configure()
        server.start(timeout)
        return server

    def _configure(self) -> None:
        import joblib

        self.model_dir.mkdir(parents=True, exist_ok=True)
        joblib.dump(demo_estimator(), self.model_file)
        shutil.copyfile(DEMO_FILES / "model.npz", self.model_npz)
        shutil.copyfile(DEMO_FILES / "test.npz", self.test_npz)
        (self.model_dir / "model-settings.json").write_text(json.dumps({
            "name": self.model_name, "implementation": "mlserver_sklearn.SKLearnModel",
            "parameters": {"uri": "./model.joblib", "version": "v1"},
        }, indent=2))
        (self.workdir / "settings.json").write_text(json.dumps({
            "debug": False, "parallel_workers": 0, "host": self.host, "http_port": self.http_port,
            "grpc_port": self.grpc_port, "metrics_port": self.metrics_port,
            "metrics_dir": str(self.workdir / "metrics"), "environments_dir": str(self.workdir / "envs"),
            "load_models_at_startup": True,
        }, indent=2))

    def start(self, timeout: float = 120) -> None:
        cmd = [self.python, "-m", "mlserver.cli.main", "start", str(self.workdir)]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(cmd, cwd=self.workdir, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT)
        try:
            wait_http(f"{self.url}/v2/health/ready", self.process, timeout, self.log)
            wait_http(f"{self.url}/v2/models/{self.model_name}/ready", self.process, timeout, self.log)
        except BaseException:
            self.stop()
            raise

    def infer(self, rows, outputs: list[str] | None = None, url: str | None = None, headers=None,
              context=None) -> dict:
        """POST a v2 inference request for *rows* (a 2-D array) and return the decoded response."""
        import urllib.request

        import numpy as np

        data = np.asarray(rows, dtype=np.float32)
        body = {"inputs": [{"name": "input-0", "shape": list(data.shape), "datatype": "FP32",
                            "data": data.ravel().tolist()}]}
        if outputs:
            body["outputs"] = [{"name": name} for name in outputs]
        request = urllib.request.Request(url or self.infer_url, data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json", **(headers or {})})
        with urllib.request.urlopen(request, timeout=30, context=context) as response:
            return json.loads(response.read())

    def predict(self, rows) -> list[int]:
        """The served model's labels for *rows*."""
        return list(self.infer(rows)["outputs"][0]["data"])

    def stop(self) -> None:
        """Stop MLServer by its PID (SIGTERM: it unloads the model and exits)."""
        stop_process(self.process, timeout=20)

    def __enter__(self) -> "MLServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
