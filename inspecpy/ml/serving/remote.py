"""A served model as a classifier: ``predict``/``predict_proba`` over HTTP, batched and counted.

The attacks of :mod:`inspecpy.ml.attacks` and :func:`inspecpy.ml.metrics.evaluate`
take it like a local model. Rows go in requests of ``batch_size`` rows (v2
takes an ``[N, features]`` tensor, v1 a list of instances), ``concurrency``
requests at a time over pooled keep-alive connections; ``queries`` counts
the rows sent, ``requests`` the HTTP requests.

Example::

    remote = RemoteModel(client, V2, "digits", proba_output="predict_proba")
    remote.predict(X[:5])            # array([4, 0, 9, 1, 7])
    remote.queries, remote.requests  # (5, 1)
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from inspecpy.ml.serving.client import EndpointError, HttpClient
from inspecpy.ml.serving.protocol import ProtocolError, labels_of, scores_of


class RemoteModel:
    """``predict``/``predict_proba`` of the model ``name`` served behind ``client``.

    ``classes`` maps class-score columns to labels when the server answers
    scores only; ``clip_min``/``clip_max`` are the valid input range the
    attacks read (from the pinned model or given, never guessed).
    """

    def __init__(self, client: HttpClient, protocol: Any, name: str, *, input_name: str = "input-0",
                 datatype: str = "FP64", proba_output: str | None = "predict_proba", classes: Any = None,
                 batch_size: int = 512, concurrency: int = 4, clip_min: Any = None, clip_max: Any = None):
        self.client, self.protocol, self.name = client, protocol, name
        self.input_name, self.datatype, self.proba_output = input_name, datatype, proba_output
        self.classes = classes
        self.batch_size, self.concurrency = max(1, int(batch_size)), max(1, int(concurrency))
        self.clip_min, self.clip_max = clip_min, clip_max
        self.queries = 0
        self.requests = 0
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    # -- what the attacks call ------------------------------------------------------------
    def predict(self, X) -> np.ndarray:
        """Labels for the rows of ``X``."""
        parts = self._send(X, ())
        return np.concatenate([labels_of(self._first(p), self.classes) for p in parts]) if parts \
            else np.empty(0)

    def predict_proba(self, X) -> np.ndarray:
        """Class scores ``[N, classes]`` for the rows of ``X``."""
        wanted: tuple[str, ...] = (self.proba_output,) if self.proba_output and self.protocol.name == "v2" else ()
        out = []
        for part in self._send(X, wanted):
            tensor = part.get(wanted[0]) if wanted else self._first(part)
            scores = scores_of(tensor) if tensor is not None else None
            if scores is None:
                shown = f"output {self.proba_output!r}" if wanted else "its output"
                raise EndpointError(f"{self.client.url}: model {self.name!r} gives no class scores in "
                                    f"{shown} (labels only): name the scores output with proba_output=, "
                                    "or use attack='hopskipjump' or 'noise', which need labels only")
            out.append(scores)
        return np.concatenate(out) if out else np.empty((0, 0))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def __enter__(self) -> "RemoteModel":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- batching ----------------------------------------------------------------------------
    def _send(self, X, outputs: tuple[str, ...]) -> list[dict[str, np.ndarray]]:
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(f"features must be a 2-d array (samples, features), got shape {X.shape}")
        batches = [X[s:s + self.batch_size] for s in range(0, len(X), self.batch_size)]
        with self._lock:
            self.queries += len(X)
            self.requests += len(batches)
        if len(batches) <= 1 or self.concurrency == 1:
            return [self._infer(b, outputs) for b in batches]
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="inspecpy-endpoint")
        return list(self._pool.map(lambda b: self._infer(b, outputs), batches))

    def _infer(self, batch: np.ndarray, outputs: tuple[str, ...]) -> dict[str, np.ndarray]:
        body = self.protocol.encode(batch, self.input_name, self.datatype, outputs)
        reply = self.client.request("POST", self.protocol.infer(self.name), body)
        if not reply.ok:
            raise EndpointError(f"{reply.where}: HTTP {reply.status} {reply.reason} for a batch of "
                                f"{len(batch)} rows: {_gist(reply.text())}")
        try:
            tensors = self.protocol.decode(reply.json())
        except ProtocolError as error:
            raise EndpointError(f"{reply.where}: {error}") from None
        for name, tensor in tensors.items():
            if len(tensor) != len(batch):
                raise EndpointError(f"{reply.where}: output {name!r} has {len(tensor)} rows for "
                                    f"{len(batch)} inputs")
        return tensors

    @staticmethod
    def _first(tensors: dict[str, np.ndarray]) -> np.ndarray:
        return next(iter(tensors.values()))


def _gist(text: str, limit: int = 120) -> str:
    """The start of an error body on one line (a traceback's last line where there is one)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return "(empty body)"
    line = lines[-1] if lines[0].startswith("Traceback") else lines[0]
    return line[:limit] + ("…" if len(line) > limit else "")
