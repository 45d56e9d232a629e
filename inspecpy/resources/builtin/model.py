"""The ``model`` resource: a model file (or folder) on the target, its safety and behaviour."""

from __future__ import annotations

import io
import os
from contextlib import contextmanager
from dataclasses import replace
from functools import cached_property
from typing import Any

from inspecpy.digests import stream_sha256
from inspecpy.errors import ResourceFailed, TargetError
from inspecpy.results import Figure
from inspecpy.verdict import Verdict
from inspecpy.resources.base import PathResource

_MAX_MODEL_LOAD = 1 << 30  # bytes read to load an .npz/.onnx model for evaluation
_LOADABLE = ("npz", "onnx")


class Model(PathResource):
    """A machine-learning model file, or a folder that is one model.

    Files are read through the target, so the same control checks a model
    server over SSH; a profile's own file (``profile_file("model.npz")``, or
    a relative path inside a profile) is read from the profile.  Pickles are never loaded: ``unsafe_globals``/``be_safe``
    come from a static scan; ``evaluate``/``robustness`` load only the safe
    formats (the ``.npz`` network, ``.onnx`` with onnxruntime).

    Python::

        m = model("/srv/models/classifier.npz", clip_min=0, clip_max=1)
        describe(m).should.be_safe()
        describe(m).should.be_signed_by("/etc/keys/model.pub")
        describe(model("/srv/models/llm", ignore=["README.md"])).should.be_signed_by(
            identity="release@example.com", issuer="https://accounts.google.com")
        describe(model("/srv/models/llm")).should.be_signed_by(certificate_chain="/etc/pki/model-ca.pem")
        describe(m).its("sha256").should.eq(input("model_sha256"))
        describe(m.evaluate(dataset("/srv/data/test.csv", label="y"))).its("accuracy").should.be_at_least(0.9)
        describe(m.robustness(dataset("/srv/data/test.csv", label="y"), attack="pgd", eps=0.1)) \\
            .its("robust_accuracy").should.be_at_least(0.5)

    YAML::

        - model: /srv/models/classifier.pkl
          should: [exist, be_safe]
          its: {unsafe_globals: {be_empty: null}}
        - model: {path: /srv/models/llm, signature: /srv/models/llm.sig}
          should:
            - be_signed_by: {identity: release@example.com, issuer: "https://accounts.google.com"}

    Options: ``clip_min``/``clip_max`` (valid input range for attacks,
    overriding the network file's), ``allow`` (extra trusted globals:
    ``module.name`` or ``package.``), ``max_bytes``/``max_opcodes`` (scan
    bounds), ``signature`` (default signature path for ``be_signed_by``),
    ``ignore`` (paths relative to a folder model that the signature
    deliberately leaves out).
    """

    name = "model"
    relative_to_profile = True  # model("files/m.npz") in a profile is the profile's file

    def __init__(self, path: str, *, clip_min: Any = None, clip_max: Any = None,
                 allow: list[str] | tuple[str, ...] = (), max_bytes: int | None = None,
                 max_opcodes: int | None = None, signature: str | None = None,
                 ignore: list[str] | tuple[str, ...] = ()):
        from inspecpy.targets.profile_files import ProfileFile

        super().__init__(path if isinstance(path, ProfileFile) else str(path).rstrip("/") or "/")
        self.clip_min, self.clip_max = clip_min, clip_max
        self.signature = signature
        self.ignore = tuple(ignore)
        from inspecpy.ml.reader import Limits

        defaults = Limits()
        self._limits = Limits(max_bytes=max_bytes or defaults.max_bytes,
                              max_opcodes=max_opcodes or defaults.max_opcodes,
                              allow=tuple(allow))

    # -- files ----------------------------------------------------------------
    @property
    def _is_dir(self) -> bool:
        st = self._stat
        if not st.exists:
            raise ResourceFailed(f"no such file or directory: {self.path}")
        return (st.target_type if st.type == "symlink" else st.type) == "directory"

    @property
    def _entries(self) -> list[tuple[str, Any]]:
        """``(relative_path, opener)`` for each file of the model (``"."`` for one file)."""
        return self._listing[0]

    @cached_property
    def _listing(self) -> tuple[list[tuple[str, Any]], dict[str, str]]:
        """The model's entries, and its symlinks with where they resolve on the target."""
        if not self._is_dir:
            return [(".", self._opener(self.path))], {}
        out: list[tuple[str, Any]] = []
        todo = [""]
        links: dict[str, str] = {}
        while todo:
            rel_dir = todo.pop()
            for name in self.target.listdir(self._join(rel_dir)):
                rel = f"{rel_dir}/{name}" if rel_dir else name
                st = self.target.stat(self._join(rel))
                kind = st.target_type if st.type == "symlink" else st.type
                if st.type == "symlink":
                    links[rel] = st.link_path or ""
                if kind == "directory" and st.type != "symlink":
                    todo.append(rel)
                elif kind == "file":
                    out.append((rel, self._opener(self._join(rel))))
        return sorted(out, key=lambda e: e[0].split("/")), links

    @cached_property
    def _links_outside(self) -> dict[str, str]:
        """Files of a folder model that are symlinks resolving outside the folder (on the target)."""
        entries, links = self._listing
        if not links:
            return {}
        root = self._stat.link_path if self._stat.type == "symlink" else None
        if not root:
            res = self.target.run("readlink -f -- {}", self.path)
            root = res.stdout.strip() if res.exit_status == 0 else ""
        if not root:
            return {rel: f"{dest} (the model folder's own real path is unknown)"
                    for rel, dest in links.items()}
        files = {rel for rel, _ in entries}
        return {rel: dest for rel, dest in links.items()
                if rel in files and not (dest == root or dest.startswith(root.rstrip("/") + "/"))}

    def _join(self, rel: str) -> str:
        return f"{self.path}/{rel}" if rel else self.path

    def _opener(self, path: str):
        return lambda: self.target.open(path)

    @cached_property
    def size(self) -> int:
        """Bytes on disk (all files of a folder model)."""
        if not self._is_dir:
            return self._stat.size or 0
        return sum(self.target.stat(self._join(rel)).size or 0 for rel, _ in self._entries)

    @cached_property
    def sha256(self) -> str:
        """SHA-256 of the file; for a folder, over its files' digests in path order
        (equal to the subject digest the OpenSSF model-signing tool writes)."""
        from inspecpy.ml.signing import tree_digest

        if self._is_dir:
            return tree_digest(self._entries)
        with self.target.open(self.path) as stream:
            return stream_sha256(stream)

    # -- static scan ------------------------------------------------------------
    @cached_property
    def _scan(self):
        from inspecpy.ml.scan.scanner import scan_files

        return scan_files(self._entries, self._limits, name=self.path, outside=self._links_outside)

    @property
    def format(self) -> str:
        """``pickle``, ``joblib``, ``pytorch``, ``npz``, ``npy``, ``onnx``, ``keras``,
        ``h5``, ``safetensors``, ``directory``... (magic bytes first, extension second)."""
        return self._scan.format

    @property
    def unsafe_globals(self) -> list[str]:
        """Globals the content would import that are not known to be data (``os.system``...)."""
        return list(self._scan.unsafe_globals)

    @property
    def globals(self) -> list[str]:
        """Every global the content would import."""
        return list(self._scan.globals)

    @property
    def scan_errors(self) -> list[str]:
        """Why (part of) the content could not be scanned; empty when fully parsed."""
        return list(self._scan.errors)

    @property
    def safe(self) -> Verdict:
        """Fully understood and clean (``be_safe``); the reason says what was found."""
        return Verdict(self._scan.safe, self._scan.reason)

    # -- signature ---------------------------------------------------------------
    def signed_by(self, public_key: str | bytes | None = None, signature: str | None = None, *,
                  identity: str | None = None, issuer: str | None = None,
                  certificate_chain: str | bytes | list | None = None) -> Verdict:
        """Verify an OpenSSF model-signing bundle (``be_signed_by``), offline.

        Trust exactly one of: ``public_key`` (PEM text or a path), a
        Sigstore keyless signer ``identity`` with its OIDC ``issuer``
        (``be_signed_by(identity="me@example.com", issuer="https://accounts.google.com")``),
        or ``certificate_chain`` (PEM text, a path, or a list of paths of
        the CA certificates to trust).  Keys and CA certificates are read
        on the machine running inspecpy (the trust anchor never comes from
        the inspected host); ``signature`` is a path on the target, by
        default the ``signature`` option or ``PATH.sig``.  Every file is
        hashed through the target.
        """
        from inspecpy.ml.signing import verify

        try:
            key = None if public_key is None else _read_pem(public_key)
        except OSError as e:
            return Verdict(False, f"public key cannot be read: {e}")
        try:
            chain = None if certificate_chain is None else _read_pem(certificate_chain)
        except OSError as e:
            return Verdict(False, f"CA certificate cannot be read: {e}")
        sig_path = signature or self.signature or f"{self.path}.sig"
        try:
            sig = self.target.read(sig_path)
        except TargetError as e:
            return Verdict(False, f"signature {sig_path} cannot be read: {e}")
        inside = None
        if self._is_dir and sig_path.startswith(self.path + "/"):
            inside = sig_path[len(self.path) + 1:]
        return verify(sig, self._entries, public_key=key, certificate_chain=chain, identity=identity,
                      issuer=issuer, signature_path=inside, ignore=self.ignore)

    # -- behaviour -----------------------------------------------------------------
    @cached_property
    def _predictor(self):
        from inspecpy.ml.models.network import Network
        from inspecpy.ml.models.onnx_model import OnnxModel

        kind = "onnx" if self.path.lower().endswith(".onnx") else self.format
        if self._is_dir or kind not in _LOADABLE:
            raise ResourceFailed(f"model format {kind!r} cannot be evaluated: only .npz networks and "
                              ".onnx models are loaded (pickles never are); convert a scikit-learn "
                              "model with inspecpy.ml.models.convert.save_npz")
        with self.target.open(self.path) as f:
            data = f.read(_MAX_MODEL_LOAD + 1)
        if len(data) > _MAX_MODEL_LOAD:
            raise ResourceFailed(f"{self.path}: larger than {_MAX_MODEL_LOAD} bytes, not loaded")
        from inspecpy.ml.attacks.input_range import as_bound

        clip_min, clip_max = as_bound(self.clip_min), as_bound(self.clip_max)
        if kind == "onnx":
            return OnnxModel(data, clip_min, clip_max, source=self.path)
        net = Network.load(io.BytesIO(data), source=self.path)
        if clip_min is not None or clip_max is not None:
            net = replace(net, clip_min=_or(clip_min, net.clip_min), clip_max=_or(clip_max, net.clip_max))
        return net

    def predict(self, X) -> Any:
        """The labels the model file predicts for the rows of ``X`` (``.npz`` and ``.onnx``)."""
        import numpy as np

        with _failures():
            return np.asarray(self._predictor.predict(np.asarray(X, dtype=np.float64))).reshape(-1)

    @property
    def input_range(self) -> tuple[Any, Any]:
        """``(clip_min, clip_max)``: the valid input range the options give or the file declares
        (``None`` where neither says)."""
        with _failures():
            net = self._predictor
        return (_or(self.clip_min, getattr(net, "clip_min", None)), _or(self.clip_max, getattr(net, "clip_max", None)))

    @property
    def white_box(self) -> bool:
        """True when the format gives exact gradients (an ``.npz`` network): FGSM/PGD apply;
        False for a predict-only model (``.onnx``), attacked with black-box attacks."""
        with _failures():
            return hasattr(self._predictor, "loss_gradient")

    def evaluate(self, dataset: Any, label: str | None = None):
        """Accuracy, macro precision/recall/F1 and ``per_class`` on a dataset.

        ``dataset`` is a ``dataset(...)`` resource, an ``(X, y)`` pair, or a
        path on the target (with ``label`` naming the label column).
        """
        from inspecpy.ml.metrics import evaluate

        with _failures():
            X, y = self._data(dataset, label)
            return replace(evaluate(self._predictor.predict, X, y), model=self.path, dataset=_name(dataset))

    def robustness(self, dataset: Any, attack: str = "pgd", eps: float = 0.1, norm: Any = "inf",
                   steps: int = 20, step_size: float | None = None, samples: int | None = None,
                   seed: int = 0, label: str | None = None, **options: Any):
        """Accuracy under an evasion attack (see :func:`inspecpy.ml.attacks.robustness.robustness`)."""
        from inspecpy.ml.attacks.robustness import robustness

        with _failures():
            X, y = self._data(dataset, label)
            found = robustness(self._predictor, X, y, attack=attack, eps=eps, norm=norm, steps=steps,
                               step_size=step_size, samples=samples, seed=seed, **options)
            return replace(found, model=self.path, dataset=_name(dataset))

    def figures(self, read: str = "") -> tuple[Figure, ...]:
        """What a safety check measured: ``model_safe`` (1 or 0) and the unsafe globals' count."""
        if read not in ("safe", "unsafe_globals"):
            return ()
        scan = self._scan
        return (Figure.of("model_safe", float(scan.safe), "1 when the model file's static scan found it safe",
                          model=self.path, format=scan.format),
                Figure.of("model_unsafe_globals", len(scan.unsafe_globals),
                          "Globals the model file would import that are not on the allowlist",
                          model=self.path, format=scan.format))

    def _data(self, dataset: Any, label: str | None):
        return features_and_labels(dataset, label)


def features_and_labels(dataset: Any, label: str | None = None):
    """``(X, y)`` from a ``dataset(...)`` resource, an ``(X, y)`` pair, or a path (``label`` names the
    label column of a CSV/JSONL file): read as ``dataset(path)`` reads it, a profile's own file from
    the profile, any other path on the target being checked."""
    if isinstance(dataset, (tuple, list)) and len(dataset) == 2:
        return dataset
    if isinstance(dataset, (str, os.PathLike)):
        from inspecpy.resources.builtin.dataset import Dataset

        dataset = Dataset(os.fspath(dataset), label=label)
    with _failures():
        for owner in (dataset, getattr(dataset, "engine", None), getattr(dataset, "_file", None)):
            if owner is not None and callable(getattr(owner, "features", None)) \
                    and callable(getattr(owner, "labels", None)):
                return owner.features(), owner.labels()
    raise TypeError(f"{dataset!r} is not a dataset: pass dataset(path, label=...), "
                    "an (X, y) pair or a path")


@contextmanager
def _failures():
    """A broken model or dataset file is the target's state: a failed result that says why."""
    from inspecpy.ml.dataset.chunks import DatasetError
    from inspecpy.ml.models.network import NetworkError
    from inspecpy.ml.models.onnx_model import OnnxError

    try:
        yield
    except (NetworkError, OnnxError, DatasetError) as e:
        raise ResourceFailed(str(e)) from None


def _name(dataset: Any) -> str:
    """How figures name a dataset argument: its path, or ``""`` for in-memory arrays."""
    if isinstance(dataset, (str, os.PathLike)):
        return str(dataset)
    return str(getattr(dataset, "path", "") or "")


def _or(a, b):
    return a if a is not None else b


def _read_pem(value: str | bytes | list | tuple) -> bytes:
    """PEM bytes from bytes, PEM text, a local path, or a list of those (concatenated)."""
    if isinstance(value, (list, tuple)):
        return b"".join(_read_pem(v) for v in value)
    if isinstance(value, bytes):
        return value
    if "-----BEGIN" in value:
        return value.encode()
    with open(os.path.expanduser(value), "rb") as f:
        return f.read()
