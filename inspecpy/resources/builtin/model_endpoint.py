"""The ``model_endpoint`` resource: a live inference endpoint (Open Inference Protocol v2, KServe v1)."""

from __future__ import annotations

import os
import uuid
from typing import Any

from inspecpy.errors import ResourceFailed
from inspecpy.resources.base import Resource, probe

TOKEN_ENV = "INSPECPY_ENDPOINT_TOKEN"
_PROTOCOLS = ("auto", "v2", "v1")


class ModelEndpoint(Resource):
    """A served model, checked over HTTP(S) from the machine running inspecpy.

    Speaks the Open Inference Protocol v2 (KServe, MLServer, Triton) and
    KServe/TF-Serving v1; ``protocol="auto"`` asks the server. An endpoint
    inside a cluster is reached through its ingress or a port-forward
    (``kubectl port-forward svc/digits 8080:80``). TLS is verified against
    ``ca_file`` or the system store; ``cert`` is a client certificate (a PEM
    file, or ``(cert, key)``) for mutual TLS. The bearer ``token`` (default:
    the ``INSPECPY_ENDPOINT_TOKEN`` environment variable) never appears in a
    report, a log or an error. ``model`` may be left out when the server
    serves exactly one.

    Python::

        ep = model_endpoint(input("endpoint_url"), model="digits", token=input("endpoint_token"),
                            ca_file="/etc/ssl/internal-ca.pem")
        describe(ep).its("ready").should.eq(True)
        describe(ep).its("requires_auth").should.eq(True)
        describe(ep).its("tls.days_to_expiry").should.be_at_least(30)
        describe(ep.error_hygiene()).its("violations").should.be_empty()
        describe(ep.agreement(model("files/model.npz"), dataset("files/test.npz"))).its("agreement").should.eq(1.0)
        describe(ep.robustness(dataset("files/test.npz"), attack="simba", eps=0.1, max_queries=200,
                               clip_min=0, clip_max=1)).its("robust_accuracy").should.be_at_least(0.6)
        describe(ep.latency(samples=200, concurrency=8)).its("p99").should.be_at_most(0.2)

    YAML (methods without arguments use the ``pinned_model``/``dataset`` options)::

        - model_endpoint: {url: {input: endpoint_url}, model: digits, pinned_model: files/model.npz,
                           dataset: files/test.npz}
          its:
            model_ready: {eq: true}
            error_hygiene.violations: {be_empty: null}
            agreement.agreement: {eq: 1.0}
            latency.p99: {be_at_most: 0.2}

    Other options: ``timeout`` (seconds per request), ``tls_verify``
    (default True), ``proba_output`` (the v2 output holding class scores,
    MLServer's ``predict_proba`` by default), ``classes``, ``batch_size`` and
    ``concurrency`` (batched predictions), ``clip_min``/``clip_max``,
    ``plain_ports`` (extra ports ``plain_http_refused`` tries), ``max_response_bytes``.
    """

    name = "model_endpoint"
    display_name = "Model endpoint"

    def __init__(self, url: str, model: str | None = None, protocol: str = "auto", token: str | None = None,
                 ca_file: str | None = None, cert: Any = None, timeout: float = 30.0, *, tls_verify: bool = True,
                 pinned_model: Any = None, dataset: Any = None, clip_min: Any = None, clip_max: Any = None,
                 proba_output: str | None = "predict_proba", classes: Any = None, batch_size: int = 512,
                 concurrency: int = 4, plain_ports: Any = (80,), max_response_bytes: int | None = None):
        super().__init__()
        from inspecpy.ml.serving.client import DEFAULT_MAX_BYTES, HttpClient

        if protocol not in _PROTOCOLS:
            raise ResourceFailed(f"protocol must be one of {', '.join(_PROTOCOLS)}, got {protocol!r}")
        try:
            self._client = HttpClient(url, token=token or os.environ.get(TOKEN_ENV) or None, ca_file=ca_file,
                                      cert=cert, timeout=timeout, verify=tls_verify,
                                      max_bytes=max_response_bytes or DEFAULT_MAX_BYTES)
        except ValueError as error:
            raise ResourceFailed(str(error)) from None
        self.url = self._client.url
        self._model, self._protocol_choice = model, protocol
        self._tls_files = (ca_file, cert)
        self._pinned, self._dataset = pinned_model, dataset
        self._clip = (clip_min, clip_max)
        self._remote_options = {"proba_output": proba_output, "classes": classes, "batch_size": batch_size,
                                "concurrency": concurrency}
        self._plain_ports = tuple(int(p) for p in ([plain_ports] if isinstance(plain_ports, int) else plain_ports))

    @property
    def resource_id(self) -> str:
        return self.url + (f" model {self._model}" if self._model else "")

    # -- protocol, model, health ----------------------------------------------------------
    @probe
    def _protocol(self):
        from inspecpy.ml.serving.protocol import PROTOCOLS

        if self._protocol_choice != "auto":
            return PROTOCOLS[self._protocol_choice]
        if self._get(PROTOCOLS["v2"].live).status != 404:
            return PROTOCOLS["v2"]
        for path in ("/v1/models", PROTOCOLS["v1"].model(self._model or "")):
            if self._get(path).ok:
                return PROTOCOLS["v1"]
        raise ResourceFailed(f"{self.url}: answers neither /v2/health/live nor /v1/models: "
                             "not an inference endpoint (or give protocol=)")

    @property
    def protocol(self) -> str:
        """``v2`` or ``v1``: the protocol given, or the one the server answered."""
        return self._protocol.name

    @probe
    def model_name(self) -> str:
        """The model checked: the one given, or the only one the server lists."""
        if self._model:
            return self._model
        proto = self._protocol
        reply = self._client.request("POST", proto.index, b"{}") if proto.name == "v2" else self._get(proto.index)
        if not reply.ok:
            raise ResourceFailed(f"{reply.where}: HTTP {reply.status}: the server does not list its models; "
                                 "name one with model=")
        names = sorted(set(proto.model_names(reply.json())))
        if len(names) != 1:
            raise ResourceFailed(f"{self.url} serves {len(names)} models ({', '.join(names[:8]) or 'none'}): "
                                 "name one with model=")
        return names[0]

    @probe
    def live(self) -> bool:
        """The server answers its liveness check (v2 ``/v2/health/live``; v1 ``/`` or the model)."""
        if self._get(self._protocol.live).ok:
            return True
        return self._protocol.name == "v1" and self._get(self._protocol.model(self.model_name)).ok

    @probe
    def ready(self) -> bool:
        """The server is ready for inference (v2 ``/v2/health/ready``; v1: the model is)."""
        if self._protocol.ready is None:
            return self.model_ready
        return self._get(self._protocol.ready).ok

    @probe
    def model_ready(self) -> bool:
        """The model is loaded and ready (``/v2/models/{m}/ready``; v1 status ``ready``/AVAILABLE)."""
        reply = self._get(self._protocol.model_ready(self.model_name))
        if self._protocol.name == "v1":
            return reply.ok and self._protocol.is_ready(reply.json())
        return reply.ok

    @probe
    def metadata(self):
        """Name, versions, platform and declared inputs/outputs (``{name, datatype, shape}``)."""
        from inspecpy.ml.serving.protocol import ProtocolError
        from inspecpy.ml.serving.results import Metadata

        proto, path = self._protocol, self._protocol.model(self.model_name)
        reply = self._get(path + "/metadata") if proto.name == "v1" else None
        if reply is None or not reply.ok:
            reply = self._get(path)
        if not reply.ok:
            raise ResourceFailed(f"{reply.where}: HTTP {reply.status}: no metadata for model {self.model_name!r}")
        try:
            return Metadata(**proto.metadata(reply.json()))
        except ProtocolError as error:
            raise ResourceFailed(f"{reply.where}: {error}") from None

    @property
    def declares_schema(self) -> bool:
        """The metadata declares every input's datatype and shape (so the server can validate requests)."""
        inputs = self.metadata.inputs
        return bool(inputs) and all(i.get("datatype") and i.get("shape") for i in inputs)

    # -- transport security ----------------------------------------------------------------
    @probe
    def tls(self):
        """TLS version, certificate subject/issuer/SANs, ``days_to_expiry``, ``hostname_match``, ``verified``."""
        from inspecpy.ml.serving.results import Tls
        from inspecpy.ml.serving.tls import inspect_tls

        if self._client.scheme != "https":
            return Tls(enabled=False)
        ca_file, cert = self._tls_files
        return inspect_tls(self._client.host, self._client.port, ca_file=ca_file, cert=cert,
                           timeout=self._client.timeout)

    @probe
    def plain_http_findings(self) -> list[str]:
        """Requests to the same host over plain HTTP that the API answered (2xx, or 401: credentials
        would then travel in clear text); a redirect, 403, 400 or no connection is a refusal."""
        from inspecpy.ml.serving.client import EndpointError, HttpClient

        c = self._client
        if c.scheme == "http":
            return [f"{self.url} itself is plain HTTP"]
        found = []
        for port in dict.fromkeys((c.port, *self._plain_ports)):
            plain = HttpClient(f"http://{c.host}:{port}{c.prefix}", timeout=min(c.timeout, 5.0))
            for method, path, body in self._api_requests():
                try:
                    reply = plain.request(method, path, body, token=None, follow=False)
                except EndpointError:
                    continue  # refused, reset or silent: nothing served there
                if reply.ok or reply.status == 401:  # served, or asking for credentials in clear text
                    found.append(f"{reply.where}: HTTP {reply.status} over plain HTTP")
            plain.close()
        return found

    @property
    def plain_http_refused(self) -> bool:
        """The same host over ``http://`` (this port, and ``plain_ports``) does not serve the API."""
        return not self.plain_http_findings

    @probe
    def auth_findings(self) -> list[str]:
        """Requests that got through without credentials or with a wrong token."""
        found = []
        for token, how in ((None, "without credentials"), (f"wrong-{uuid.uuid4().hex}", "with a wrong token")):
            for method, path, body in self._api_requests():
                reply = self._client.request(method, path, body, token=token, follow=False)
                if reply.status not in (401, 403):
                    found.append(f"{method} {path} {how}: HTTP {reply.status}")
        return found

    @property
    def requires_auth(self) -> bool:
        """Requests without credentials and with a wrong token are refused (401/403), the token works."""
        if self.auth_findings:
            return False
        if self._client.has_token:
            reply = self._get(self._protocol.model(self.model_name))
            if reply.status in (401, 403):
                raise ResourceFailed(f"{reply.where}: HTTP {reply.status}: the configured token is refused too")
        return True

    def _api_requests(self) -> list[tuple[str, str, bytes | None]]:
        proto, name = self._protocol, self.model_name
        empty = b'{"instances": []}' if proto.name == "v1" else b'{"inputs": []}'
        return [("GET", proto.model(name), None), ("POST", proto.infer(name), empty)]

    # -- behaviour -------------------------------------------------------------------------
    def error_hygiene(self, huge_bytes: int | None = None):
        """Send the malformed requests of :mod:`inspecpy.ml.serving.hygiene`; ``violations`` lists each
        broken rule (a 5xx or success instead of a 4xx, a stack trace, a path, a version)."""
        from inspecpy.ml.serving.client import EndpointError
        from inspecpy.ml.serving.hygiene import HUGE_BYTES, judge, malformed_requests
        from inspecpy.ml.serving.results import ErrorHygiene, Probe

        self.model_ready  # reachable at all: else one failure that says why, not six violations
        features, input_name, datatype = self._input_spec()
        probes, violations = [], []
        for name, path, body in malformed_requests(self._protocol, self.model_name, features, input_name,
                                                   datatype, huge_bytes or HUGE_BYTES):
            try:
                reply = self._client.request("POST", path, body, follow=False)
                status, broken = reply.status, judge(reply.status, reply.text(), reply.headers)
            except EndpointError as error:
                status, broken = None, judge(None, "", {}, str(error))
            probes.append(Probe(name, status, tuple(broken)))
            violations += [f"{name}: {rule}" for rule in broken]
        return ErrorHygiene(tuple(violations), tuple(probes))

    def predict(self, X) -> Any:
        """The served model's labels for the rows of ``X`` (batched)."""
        with self._remote() as remote:
            return remote.predict(X)

    def evaluate(self, dataset: Any = None, label: str | None = None):
        """Accuracy, macro precision/recall/F1 and ``per_class`` of the served model on a dataset."""
        from inspecpy.ml.metrics import evaluate

        X, y = self._data(dataset, label)
        with self._remote() as remote:
            return evaluate(remote.predict, X, y)

    def agreement(self, model: Any = None, dataset: Any = None, label: str | None = None):
        """Served predictions versus the pinned model file's on the same rows (``agreement``,
        ``disagreements``, ``samples``): catches a swapped or tampered model at the serving layer."""
        import numpy as np

        from inspecpy.ml.attacks.perturb import same_labels
        from inspecpy.ml.serving.results import Agreement

        pinned = self._pinned_model(model)
        X, _ = self._data(dataset, label)
        with self._remote() as remote:
            served = remote.predict(X)
        expected = pinned.predict(X)
        same = same_labels(served, expected)
        rows = np.flatnonzero(~same)[:5]
        examples = tuple({"row": int(i), "served": _plain(served[i]), "pinned": _plain(expected[i])} for i in rows)
        return Agreement(float(same.mean()) if len(same) else 0.0, int((~same).sum()), len(same), examples)

    def robustness(self, dataset: Any = None, attack: str = "simba", eps: float = 0.1, norm: Any = "inf",
                   max_queries: int = 1000, samples: int | None = None, seed: int = 0,
                   clip_min: Any = None, clip_max: Any = None, label: str | None = None):
        """A black-box attack (``simba``, ``hopskipjump``, ``noise``) driven through the endpoint.

        ``max_queries`` is the per-sample budget; ``queries``/``requests`` say
        what it cost. The input range comes from ``clip_min``/``clip_max`` or
        the pinned model file, never guessed.
        """
        from dataclasses import asdict

        from inspecpy.ml.attacks.robustness import robustness
        from inspecpy.ml.serving.budget import attack_settings
        from inspecpy.ml.serving.robust_result import EndpointRobustness

        import numpy as np

        X, y = self._data(dataset, label)
        lo, hi = self._input_range(attack, clip_min, clip_max)
        # unbounded only for a white-box attack, which attack_settings refuses over an endpoint
        span = 1.0 if lo is None or hi is None else float(np.max(np.abs(np.subtract(hi, lo))))
        try:
            settings = attack_settings(attack, max_queries, X.shape[1], span)
        except ValueError as error:
            raise ResourceFailed(str(error)) from None
        with self._remote(clip_min=lo, clip_max=hi) as remote:
            result = robustness(remote, X, y, attack=attack, eps=eps, norm=norm, samples=samples, seed=seed,
                                clip_min=lo, clip_max=hi, **settings)
            return EndpointRobustness(**asdict(result), queries=remote.queries, requests=remote.requests,
                                      max_queries=int(max_queries))

    def latency(self, samples: int = 100, concurrency: int = 4, dataset: Any = None, label: str | None = None):
        """``samples`` one-row prediction requests, ``concurrency`` at a time: ``p50``/``p95``/``p99``
        (seconds, successful requests), ``errors`` (failed or non-2xx)."""
        from inspecpy.ml.serving.timing import measure

        X = self._rows_for_latency(dataset, label)
        features, input_name, datatype = self._input_spec()
        bodies = [self._protocol.encode(X[i % len(X)][None, :], input_name, datatype) for i in range(min(samples, len(X)))]
        return measure(self._client, "POST", self._protocol.infer(self.model_name), bodies, int(samples),
                       int(concurrency))

    # -- helpers -----------------------------------------------------------------------------
    def _get(self, path: str):
        return self._client.request("GET", path)

    def _remote(self, **clip):
        from inspecpy.ml.serving.remote import RemoteModel

        features, input_name, datatype = self._input_spec()
        return RemoteModel(self._client, self._protocol, self.model_name, input_name=input_name,
                           datatype=datatype, **self._remote_options, **clip)

    def _input_spec(self) -> tuple[int | None, str, str]:
        return self._spec

    @probe
    def _spec(self) -> tuple[int | None, str, str]:
        """(features, input name, datatype): from the declared schema, else the dataset option."""
        from inspecpy.ml.serving.protocol import features_of

        try:
            inputs = self.metadata.inputs
        except ResourceFailed:  # no metadata: requests then say what is wrong themselves
            inputs = ()
        if len(inputs) == 1:
            spec = inputs[0]
            return features_of(inputs), spec.get("name") or "input-0", spec.get("datatype") or "FP64"
        features = None
        if self._dataset is not None:
            features = self._data(None, None)[0].shape[1]
        return features, "input-0", "FP64"

    def _pinned_model(self, model: Any):
        model = model if model is not None else self._pinned
        if model is None:
            raise ResourceFailed("no pinned model: pass model(path) or the pinned_model= option")
        if isinstance(model, (str, os.PathLike)):
            from inspecpy.resources.builtin.model import Model

            model = self._file_resource(Model, model)
        return model

    def _file_resource(self, kind: type, path: Any, **options: Any) -> Any:
        """The ``model``/``dataset`` resource of a path given as an argument or option, made once:
        it reads its file once per target (a ``profile_file`` from the profile, else the checked target's)."""
        made = self.__dict__.setdefault("_file_resources", {})
        key = (kind.__name__, type(path), path, tuple(sorted(options.items())))
        if key not in made:
            made[key] = kind(path, **options)
        return made[key]

    def _input_range(self, attack: str, clip_min: Any, clip_max: Any) -> tuple[Any, Any]:
        """The attack's input range: the arguments, else the options, else the pinned model file's."""
        from inspecpy.ml.attacks.input_range import InputRangeMissing, attack_input_range

        lo = clip_min if clip_min is not None else self._clip[0]
        hi = clip_max if clip_max is not None else self._clip[1]
        declared = (None, None)
        if (lo is None or hi is None) and self._pinned is not None:
            declared = self._pinned_model(None).input_range
        try:
            return attack_input_range(attack, lo, hi, declared=declared, source=self.url)
        except InputRangeMissing as error:
            raise ResourceFailed("the valid input range is unknown: give clip_min= and clip_max=, or "
                                 f"pinned_model= a model file that declares them; {error}") from None
        except ValueError as error:  # a bound that is not a number, or lo not below hi
            raise ResourceFailed(str(error)) from None

    def _data(self, dataset: Any, label: str | None):
        import numpy as np

        from inspecpy.resources.builtin.dataset import Dataset
        from inspecpy.resources.builtin.model import features_and_labels

        dataset = dataset if dataset is not None else self._dataset
        if dataset is None:
            raise ResourceFailed("no dataset: pass dataset(path) or the dataset= option")
        if isinstance(dataset, (str, os.PathLike)):
            dataset = self._file_resource(Dataset, dataset, label=label)
        X, y = features_and_labels(dataset, label)
        return np.asarray(X, dtype=np.float64), np.asarray(y)

    def _rows_for_latency(self, dataset: Any, label: str | None):
        import numpy as np

        if dataset is not None or self._dataset is not None:
            return self._data(dataset, label)[0]
        features = self._input_spec()[0]
        if not features:
            raise ResourceFailed("latency needs sample inputs: the model declares no input shape; "
                                 "pass dataset(path) or the dataset= option")
        return np.zeros((1, features))


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
