"""KServe's Python ``ModelServer`` serving the mlsvs demo weights over v1 (and v2), on loopback.

The one real v1-protocol server of the model_endpoint tests (``tests/servers/``
has MLServer and nginx; this is beside them until it moves there). It runs
from ``.venv-kserve``, its own virtual environment made by
``scripts/install-test-deps.sh``: kserve pins a FastAPI and protobuf that
MLServer 1.7 refuses. KServe binds 0.0.0.0; the script pins uvicorn to
127.0.0.1 so the tests stay on loopback::

    with KServeV1.start_new(tmp_path) as server:
        server.url                # http://127.0.0.1:PORT  (/v1/models/digits:predict)
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.integration.sshd import free_port
from tests.servers.process import stop_process, wait_http

ROOT = Path(__file__).resolve().parents[2]
DEMO_MODEL = ROOT / "profiles" / "mlsvs" / "files" / "model.npz"
PYTHON = ROOT / ".venv-kserve" / "bin" / "python"

SERVER = '''
import sys
import numpy as np
import uvicorn

_config = uvicorn.Config.__init__
def _loopback(self, *args, **kwargs):
    kwargs["host"] = "127.0.0.1"
    _config(self, *args, **kwargs)
uvicorn.Config.__init__ = _loopback

import kserve

class Digits(kserve.Model):
    def __init__(self, name, path):
        super().__init__(name)
        arrays = np.load(path, allow_pickle=False)
        self.W, self.b, self.classes = arrays["W0"], arrays["b0"], arrays["classes"]
        self.ready = True

    def predict(self, payload, headers=None, response_headers=None):
        X = np.asarray(payload["instances"], dtype=np.float64)
        return {"predictions": self.classes[np.argmax(X @ self.W + self.b, axis=1)].tolist()}

kserve.ModelServer(http_port=int(sys.argv[3]), enable_grpc=False, enable_latency_logging=False).start(
    [Digits(sys.argv[1], sys.argv[2])])
'''


def why_missing() -> str | None:
    """Why KServe cannot start here (a missing install is a test failure, never a skip)."""
    if not PYTHON.exists():
        return f"{PYTHON} is missing: run scripts/install-test-deps.sh (it makes .venv-kserve)"
    return None


class KServeV1:
    """One running KServe ``ModelServer`` serving ``name``; stopped by its PID."""

    def __init__(self, workdir: Path, model_npz: Path = DEMO_MODEL, name: str = "digits"):
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "server.py").write_text(SERVER)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "kserve.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([str(PYTHON), str(workdir / "server.py"), name, str(model_npz),
                                             str(self.port)], stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT)
        try:
            wait_http(f"{self.url}/v1/models/{name}", self.process, 90, self.log)
        except BaseException:
            self.stop()
            raise

    @classmethod
    def start_new(cls, workdir: Path, **kwargs) -> "KServeV1":
        return cls(workdir, **kwargs)

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        stop_process(self.process)

    def __enter__(self) -> "KServeV1":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
