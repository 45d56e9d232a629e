"""Fleets on Dask distributed: ``--cluster dask://HOST:PORT``, ``tls://HOST:PORT`` or ``local:N``.

One Dask task per target, each running :func:`~inspecpy.run.fleet.run_one` on
a worker, so the scheduler spreads the fleet over the workers and, when a
worker dies, runs its targets again on another (Dask's own retry: a result
arrives once per target, so nothing is lost or counted twice). Results come
back as each target finishes and go through the same run hooks, reports and
exit code as a fleet on this machine's threads::

    inspecpy exec profiles/linux-baseline --target-file hosts.txt --cluster dask://scheduler:8786
    inspecpy exec profiles/linux-baseline --target-file hosts.txt --cluster tls://scheduler:8786 \\
        --cluster-ca ca.pem --cluster-cert client.pem --cluster-key client.key
    inspecpy exec profiles/mlsvs -t local:// --cluster local:4      # an embedded LocalCluster

What travels (the trust model is in ``docs/scale.md``): each profile once, as
the archive ``inspecpy archive`` makes (the user's own signed archive as it
is, a folder archived with its manifest), scattered to every worker under its
SHA-256; a worker checks that digest, then the manifest and any signature
against the client's trusted keys, before it loads the profile (once per
worker process). The recipe (selection, waivers, inputs that are not
sensitive, connection options without passwords) goes once too. Secrets
(``--password``, ``--sudo-password``, a password in a URI, sensitive inputs)
are never part of the task graph: they go straight from the client to the
workers, and only over TLS (``tls://`` or ``local:N``); over plain ``dask://``
they are refused. A worker running another inspecpy version is one error
before anything runs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import secrets as random
import tempfile
import threading
from dataclasses import dataclass, field
from typing import Any, Sequence

from inspecpy.errors import InspecpyError, UsageError
from inspecpy.profile.archive import Trust, build_archive, is_archive
from inspecpy.profile.model import Profile, walk_profiles
from inspecpy.profile.waivers import WaiverEntry, apply_waivers
from inspecpy.results import ProfileResult, RunResult
from inspecpy.run.runner import Selection
from inspecpy.targets import redact_uri
from inspecpy.targets.base import TargetOptions
from inspecpy.version import __version__

log = logging.getLogger("inspecpy.fleet")


class ClusterError(InspecpyError):
    """The cluster cannot run the fleet: unreachable, or its workers run another inspecpy."""


@dataclass(frozen=True)
class ClusterTls:
    """``--cluster-ca``, ``--cluster-cert``, ``--cluster-key``: this client's side of a TLS cluster."""

    ca: str | None = None
    cert: str | None = None
    key: str | None = None


def parse_cluster(value: str) -> tuple[str | None, int]:
    """``--cluster`` → (scheduler address, 0) or (None, N) for ``local:N``.

    >>> parse_cluster("dask://10.0.0.5:8786"), parse_cluster("local:4")
    (('tcp://10.0.0.5:8786', 0), (None, 4))
    """
    scheme, sep, rest = value.partition("://")
    if sep and scheme in ("dask", "tcp", "tls") and rest and not rest.startswith(":"):
        return f"{'tls' if scheme == 'tls' else 'tcp'}://{rest}", 0
    name, colon, count = value.partition(":")
    if name == "local" and (not colon or count.isdigit() and int(count) > 0):
        return None, int(count) if colon else os.cpu_count() or 1
    raise UsageError(f"--cluster {value}: expected dask://HOST:PORT, tls://HOST:PORT or local:N")


@dataclass(frozen=True)
class Recipe:
    """What a worker needs to load the profiles as the client did: no secret in it."""

    version: str
    digests: tuple[str, ...]              # SHA-256 of each top-level profile's archive, in order
    inputs: dict[str, Any]                # --input/--input-file values that are not sensitive
    waivers: dict[str, WaiverEntry]
    trusted_keys: tuple[bytes, ...]       # raw Ed25519 public keys
    require_signed: bool
    selection: Selection
    options: TargetOptions                # passwords removed


@dataclass(frozen=True)
class Secrets:
    """What must never be in the task graph: sent to the workers directly, over TLS."""

    password: str | None = None
    sudo_password: str | None = None
    inputs: dict[str, Any] = field(default_factory=dict)
    uris: dict[int, str] = field(default_factory=dict)   # target index → the URI with its password

    def __repr__(self) -> str:
        return "Secrets(***)"

    def __bool__(self) -> bool:
        return bool(self.password or self.sudo_password or self.inputs or self.uris)


def split_secrets(options: TargetOptions, uris: Sequence[str], inputs: dict[str, Any],
                  profiles: Sequence[Profile]) -> tuple[Secrets, TargetOptions, list[str], dict[str, Any]]:
    """(the secrets, then the options, URIs and inputs without them)."""
    sensitive = {name for p in walk_profiles(list(profiles)) for name, spec in p.inputs.specs.items()
                 if spec.sensitive}
    found = Secrets(password=options.password, sudo_password=options.sudo_password,
                    inputs={k: v for k, v in inputs.items() if k in sensitive},
                    uris={i: uri for i, uri in enumerate(uris) if redact_uri(uri) != uri})
    public = dataclasses.replace(options, password=None, sudo_password=None)
    return (found, public, [redact_uri(uri) for uri in uris],
            {k: v for k, v in inputs.items() if k not in sensitive})


def profile_archive(profile: Profile) -> bytes:
    """The archive a worker loads: the user's own archive as it is (its signature travels), else one made now."""
    if profile.archive is not None and profile.source and is_archive(profile.source):
        with open(profile.source, "rb") as handle:
            return handle.read()
    return build_archive(profile)


class DaskCluster:
    """Where :func:`~inspecpy.run.fleet.run_fleet` sends a fleet when ``--cluster`` is given.

    *inputs*, *waivers* and *trust* are what the profiles were loaded with on
    this machine: the workers load them the same way. *jobs* is the threads
    of each process of a ``local:N`` cluster (an existing cluster's workers
    have their own ``--nthreads``).
    """

    def __init__(self, spec: str, *, tls: ClusterTls | None = None, inputs: dict[str, Any] | None = None,
                 waivers: dict[str, WaiverEntry] | None = None, trust: Trust | None = None, jobs: int | None = None):
        self.address, self.local_workers = parse_cluster(spec)
        self.spec, self.tls, self.jobs = spec, tls or ClusterTls(), jobs
        self.inputs, self.waivers, self.trust = dict(inputs or {}), dict(waivers or {}), trust or Trust()

    @property
    def encrypted(self) -> bool:
        return self.address is None or self.address.startswith("tls://")

    def run(self, profiles: Sequence[Profile], uris: Sequence[str], options: TargetOptions, selection: Selection,
            events: Any) -> list[RunResult]:
        """Run *profiles* on every URI on the cluster; results in the URIs' order, hooks as each finishes."""
        secret, public_options, public_uris, public_inputs = split_secrets(options, uris, self.inputs, profiles)
        if secret and not self.encrypted:
            raise UsageError(f"--cluster {self.spec} is not encrypted: passwords and sensitive inputs are only sent "
                             f"to a TLS cluster (tls://… with --cluster-ca/--cluster-cert/--cluster-key, or "
                             f"local:N); or use key files and agents on the workers")
        archives = [profile_archive(p) for p in profiles]
        from inspecpy.profile.keys import raw_public

        recipe = Recipe(version=__version__, digests=tuple(hashlib.sha256(a).hexdigest() for a in archives),
                        inputs=public_inputs, waivers=self.waivers,
                        trusted_keys=tuple(raw_public(k) for k in self.trust.keys.values()),
                        require_signed=self.trust.require_signed, selection=selection, options=public_options)
        with self._client(bool(secret), options.connect_timeout) as client:
            check_versions(client)
            shared = client.scatter([recipe, *archives], broadcast=True, hash=True)
            sealed = send_secrets(client, secret) if secret else None
            run_id = random.token_hex(6)
            futures = [client.submit(run_target_task, i, uri, shared[0], shared[1:], sealed, pure=False,
                                     key=f"inspecpy-target-{run_id}-{i}") for i, uri in enumerate(public_uris)]
            return collect(client, futures, public_uris, profiles, events)

    def _client(self, wants_tls: bool, timeout: float):
        try:
            from distributed import Client, LocalCluster
            from distributed.security import Security
        except ImportError:
            raise UsageError("--cluster needs Dask distributed: pip install 'inspecpy[dask]'") from None
        if not log.isEnabledFor(logging.DEBUG):  # Dask logs at INFO; keep its warnings (a lost worker)
            logging.getLogger("distributed").setLevel(logging.WARNING)
        if self.address is None:
            cluster = LocalCluster(n_workers=self.local_workers, threads_per_worker=self.jobs or 1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR, security=wants_tls or None)
            return _Owned(Client(cluster, set_as_default=False), cluster)
        security = None
        if self.address.startswith("tls://"):  # files not given here come from Dask's distributed.comm.tls.*
            security = Security(tls_ca_file=self.tls.ca, tls_client_cert=self.tls.cert, tls_client_key=self.tls.key,
                                require_encryption=True)
            if not (getattr(security, "tls_ca_file", None) and getattr(security, "tls_client_cert", None)):
                raise UsageError(f"--cluster {self.spec} needs this client's certificate: --cluster-ca, "
                                 f"--cluster-cert and --cluster-key (or Dask's distributed.comm.tls settings)")
        try:
            return _Owned(Client(self.address, security=security, timeout=timeout, set_as_default=False))
        except (OSError, ValueError) as error:  # unreachable, refused, a TLS handshake that failed
            why = str(error).strip().splitlines()
            raise ClusterError(f"cannot reach the Dask scheduler at {self.address}: "
                               f"{why[0] if why else type(error).__name__}") from None


class _Owned:
    """A client (and the LocalCluster it started) closed when the block ends."""

    def __init__(self, client, cluster=None):
        self.client, self.cluster = client, cluster

    def __enter__(self):
        return self.client

    def __exit__(self, *exc) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def send_secrets(client, secret: Secrets):
    """*secret* straight from this client to every worker (not through the scheduler, not in the graph)."""
    try:
        return client.scatter(secret, broadcast=True, direct=True, hash=False)
    except (OSError, TimeoutError) as error:
        raise ClusterError(f"cannot send the secrets straight to the Dask workers ({error}): this client must "
                           f"reach every worker's address") from None


def check_versions(client) -> None:
    """One error when any worker runs another inspecpy version than this client."""
    found = client.run(_worker_version)
    if not found:
        raise ClusterError(f"the Dask cluster at {client.scheduler.address} has no worker")
    other = {worker: version for worker, version in found.items() if version != __version__}
    if other:
        shown = ", ".join(f"{w} runs {v}" for w, v in sorted(other.items())[:5])
        raise ClusterError(f"Dask workers must run the same inspecpy version as this client ({__version__}): "
                           f"{shown}")


def _worker_version() -> str:
    return __version__


def collect(client, futures: list, uris: Sequence[str], profiles: Sequence[Profile], events: Any) -> list[RunResult]:
    """Each target's result as it finishes (the run hooks hear it then), in the URIs' order."""
    from distributed import as_completed

    runs: dict[int, RunResult] = {}
    index = {future.key: i for i, future in enumerate(futures)}
    for future in as_completed(futures, loop=client.loop):  # every future, failed and cancelled ones too
        i = index[future.key]
        run = as_loaded_here(_outcome(future, uris[i]), profiles)
        runs[i] = run
        replay(run, events)
    return [runs[i] for i in range(len(futures))]


def _outcome(future, uri: str) -> RunResult:
    """The target's RunResult, or one with ``error`` when its task failed (a lost worker, too many times)."""
    if future.status == "finished":
        return future.result()
    try:
        error = future.exception()
    except Exception as cancelled:  # noqa: BLE001 - cancelled: the scheduler went away
        error = cancelled
    why = f"{type(error).__name__}: {error}"
    if type(error).__name__ == "KilledWorker":
        why = f"every Dask worker that ran it died ({error})"
    return RunResult.failed(uri, why)


def replay(run: RunResult, events: Any) -> None:
    """Tell the run hooks what a worker did: the target's control total, then each control."""
    if events is None or run.error:
        return
    controls = run.controls
    events.inspecpy_run_start(target=run.target, total_controls=len(controls))
    for control in controls:
        events.inspecpy_control_done(target=run.target, control=control)


def as_loaded_here(run: RunResult, profiles: Sequence[Profile]) -> RunResult:
    """*run* with the digests and control source locations of the profiles as this machine loaded them
    (a worker loads a copy extracted elsewhere), so the report equals a run on this machine."""
    loaded = {p.name: p for p in walk_profiles(list(profiles))}

    def here(result: ProfileResult) -> ProfileResult:
        mine = loaded.get(result.name)
        if mine is None:
            return result
        where = {c.id: c.source_location for c in mine.controls}
        controls = tuple(dataclasses.replace(c, source_location=where.get(c.id, c.source_location))
                         for c in result.controls)
        return dataclasses.replace(result, sha256=mine.sha256, controls=controls)

    return dataclasses.replace(run, profiles=tuple(here(p) for p in run.profiles))


# ------------------------------------------------------------------ on the worker
_LOADED: dict[tuple, list[Profile]] = {}   # this worker process's profiles, by content and recipe
_LOADING = threading.Lock()
KEEP_LOADED = 4   # recipes a long-lived worker keeps loaded (an older one's extracted folder goes with it)


def run_target_task(index: int, uri: str, recipe: Recipe, archives: list[bytes], secret: Secrets | None) -> RunResult:
    """A Dask task: run the recipe's profiles on one target (on a worker)."""
    from inspecpy.run.fleet import run_one

    if recipe.version != __version__:
        raise ClusterError(f"this worker runs inspecpy {__version__}, the client {recipe.version}")
    secret = secret or Secrets()
    options = dataclasses.replace(recipe.options, password=secret.password, sudo_password=secret.sudo_password)
    profiles = worker_profiles(recipe, archives, secret)
    return run_one(secret.uris.get(index, uri), profiles, options, recipe.selection)


def worker_profiles(recipe: Recipe, archives: list[bytes], secret: Secrets) -> list[Profile]:
    """The recipe's profiles, loaded once per worker process from archives checked against their digests."""
    key = (recipe.digests, repr(sorted(recipe.inputs.items())), repr(sorted(secret.inputs.items())),
           repr(sorted(recipe.waivers.items())), recipe.trusted_keys, recipe.require_signed)
    with _LOADING:
        if key not in _LOADED:
            while len(_LOADED) >= KEEP_LOADED:
                del _LOADED[next(iter(_LOADED))]
            _LOADED[key] = _load(recipe, archives, {**recipe.inputs, **secret.inputs})
        return _LOADED[key]


def _load(recipe: Recipe, archives: list[bytes], inputs: dict[str, Any]) -> list[Profile]:
    from inspecpy.errors import SignatureError
    from inspecpy.profile.keys import key_id, public_from_raw
    from inspecpy.profile.loader import load_profile

    keys = [public_from_raw(raw) for raw in recipe.trusted_keys]
    trust = Trust(keys={key_id(k): k for k in keys}, require_signed=recipe.require_signed)
    loaded = []
    for digest, data in zip(recipe.digests, archives):
        if hashlib.sha256(data).hexdigest() != digest:
            raise SignatureError(f"the profile archive {digest[:16]}… arrived changed on this worker")
        with tempfile.NamedTemporaryFile(prefix=f"inspecpy-{digest[:16]}-", suffix=".tar.gz") as handle:
            handle.write(data)
            handle.flush()
            loaded.append(load_profile(handle.name, inputs, trust=trust))  # verifies manifest and signature
    apply_waivers(loaded, recipe.waivers)
    return loaded
