"""A Dask cluster of real processes on loopback: ``dask scheduler`` and N ``dask worker``.

Every process is this venv's Python (``-m distributed.cli.dask_scheduler`` /
``dask_worker``), so workers import inspecpy and ``tests`` as the tests do.
Workers run without a nanny, so a worker's PID is the worker itself:
:meth:`kill_worker` is a crash, not a restart::

    with DaskCluster.start_new(tmp_path, workers=2, nthreads=1) as cluster:
        cluster.address                     # 'tcp://127.0.0.1:PORT' (for --cluster dask://…: cluster.uri)
        with cluster.client() as client:    # a distributed.Client, closed on exit
            client.submit(pow, 2, 10).result()
        cluster.kill_worker(0)              # SIGKILL by PID
        cluster.wait_for_workers(1)

No dashboard (``--no-dashboard``). Stopped by PID: the workers, then the scheduler. With *tls*
(a :class:`~tests.servers.nginx_tls.TestCA` whose certificate allows client auth), every process
speaks mutual TLS with that one certificate and :attr:`address` is ``tls://…``::

    ca = make_ca(tmp_path / "ca", client_auth=True)
    with DaskCluster.start_new(tmp_path, workers=1, tls=ca) as cluster:
        cluster.address                     # 'tls://127.0.0.1:PORT'
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from tests.integration.sshd import free_port
from tests.servers.process import ServerProcess, alive, spawn, stop_process, wait_tcp

ROOT = Path(__file__).resolve().parents[2]


def why_not_available() -> str | None:
    """Always None: Dask needs no privilege (a missing ``distributed`` fails the test, it is no skip)."""
    return None


@dataclass
class DaskCluster(ServerProcess):
    """A scheduler (:attr:`process`) and its workers; :attr:`address` to connect, :attr:`workers` their processes."""

    nthreads: int = 1
    port: int = 0
    host: str = "127.0.0.1"
    workers: list[subprocess.Popen] = field(default_factory=list)
    tls: Any = None   # a TestCA: mutual TLS between every process

    log_name: ClassVar[str] = "scheduler.log"
    stop_timeout: ClassVar[float] = 10

    @property
    def address(self) -> str:
        return f"{'tls' if self.tls else 'tcp'}://{self.host}:{self.port}"

    @property
    def uri(self) -> str:
        """The ``--cluster`` form: ``dask://127.0.0.1:PORT`` (``tls://…`` with TLS)."""
        return f"{'tls' if self.tls else 'dask'}://{self.host}:{self.port}"

    def tls_args(self) -> list[str]:
        """The ``--tls-*`` options of ``dask scheduler``/``dask worker`` (none without TLS)."""
        if not self.tls:
            return []
        return ["--tls-ca-file", str(self.tls.ca_file), "--tls-cert", str(self.tls.cert_file),
                "--tls-key", str(self.tls.key_file)]

    @property
    def scheduler(self) -> subprocess.Popen | None:
        """The scheduler's process (:attr:`pid` is its PID)."""
        return self.process

    @property
    def worker_pids(self) -> list[int]:
        return [w.pid for w in self.workers]

    def _env(self) -> dict[str, str]:
        path = os.environ.get("PYTHONPATH")
        return {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{path}" if path else str(ROOT),
                "DASK_TEMPORARY_DIRECTORY": str(self.workdir / "tmp"),
                "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}

    @classmethod
    def start_new(cls, workdir: Path, workers: int = 2, nthreads: int = 1, timeout: float = 90,
                  tls: Any = None) -> "DaskCluster":
        """Start the scheduler and *workers* workers; wait until all have registered."""
        workdir.mkdir(parents=True, exist_ok=True)
        cluster = cls(workdir=workdir, nthreads=nthreads, port=free_port(), tls=tls)
        (workdir / "tmp").mkdir(exist_ok=True)
        try:
            cluster._start_scheduler(timeout)
            for _ in range(workers):
                cluster.add_worker(wait=False)
            cluster.wait_for_workers(workers, timeout)
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def _start_scheduler(self, timeout: float) -> None:
        cmd = [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", self.host, "--port", str(self.port),
               "--no-dashboard", "--pid-file", str(self.workdir / "scheduler.pid"), *self.tls_args(),
               *(["--protocol", "tls"] if self.tls else [])]
        self._launch(cmd, lambda: wait_tcp(self.host, self.port, self.process, timeout, self.log),
                     cwd=self.workdir, env=self._env())

    def add_worker(self, wait: bool = True, timeout: float = 60) -> subprocess.Popen:
        """Start one more worker (``worker-I``); with *wait*, until the scheduler counts it."""
        index = len(self.workers)
        name = f"worker-{index}"
        cmd = [sys.executable, "-m", "distributed.cli.dask_worker", self.address, "--host", self.host,
               "--name", name, "--nthreads", str(self.nthreads), "--no-nanny", "--no-dashboard",
               "--local-directory", str(self.workdir / name), "--death-timeout", "60", *self.tls_args()]
        worker = spawn(cmd, self.workdir / f"{name}.log", cwd=self.workdir, env=self._env())
        self.workers.append(worker)
        if wait:
            self.wait_for_workers(len(self.running_workers()), timeout)
        return worker

    def running_workers(self) -> list[subprocess.Popen]:
        return [w for w in self.workers if w.poll() is None]

    @contextlib.contextmanager
    def client(self, timeout: float = 30):
        """A ``distributed.Client`` connected to the scheduler, closed when the block ends."""
        from distributed import Client
        from distributed.security import Security

        security = Security(tls_ca_file=str(self.tls.ca_file), tls_client_cert=str(self.tls.cert_file),
                            tls_client_key=str(self.tls.key_file), require_encryption=True) if self.tls else None
        client = Client(self.address, timeout=timeout, set_as_default=False, security=security)
        try:
            yield client
        finally:
            client.close()

    def wait_for_workers(self, count: int, timeout: float = 60) -> None:
        """Wait until the scheduler has *count* workers (``Client.wait_for_workers``)."""
        for worker in self.workers[:count]:
            if worker.poll() is not None:
                log = self.workdir / f"worker-{self.workers.index(worker)}.log"
                raise RuntimeError(f"dask worker exited with {worker.returncode}: {log.read_text()[-3000:]}")
        with self.client() as client:
            client.wait_for_workers(count, timeout=timeout)

    def worker_count(self) -> int:
        """Workers the scheduler knows now."""
        with self.client() as client:
            return len(client.scheduler_info(n_workers=-1)["workers"]) if _takes_n_workers(client) \
                else len(client.scheduler_info()["workers"])

    def wait_worker_count(self, count: int, timeout: float = 60) -> None:
        """Wait until the scheduler knows exactly *count* workers (e.g. after :meth:`kill_worker`)."""
        deadline = time.monotonic() + timeout
        while (known := self.worker_count()) != count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the scheduler knows {known} workers, not {count}, after {timeout:.0f} s")
            time.sleep(0.1)

    def kill_worker(self, index: int, sig: int = signal.SIGKILL) -> int:
        """Kill worker *index* by its PID (SIGKILL: a crash) and reap it; returns the PID."""
        worker = self.workers[index]
        if worker.poll() is None:
            os.kill(worker.pid, sig)
            worker.wait(timeout=30)
        return worker.pid

    def stop(self) -> None:
        """Stop every worker, then the scheduler, by PID."""
        for worker in self.workers:
            stop_process(worker, self.stop_timeout)
        super().stop()
        for process in (*self.workers, self.process):
            if process is not None and alive(process.pid):
                os.kill(process.pid, signal.SIGKILL)


def _takes_n_workers(client) -> bool:
    import inspect

    return "n_workers" in inspect.signature(client.scheduler_info).parameters
