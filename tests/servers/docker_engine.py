"""A private Docker engine (Debian's ``docker.io``) for the tests.

``dockerd`` runs with its own data root, exec root (which holds the
containerd it starts and manages), pid file, cgroup parent and socket
``unix://WORKDIR/docker.sock``; no bridge, no iptables, no forwarding, so no
network of the machine is touched and two engines (two concurrent test runs)
share nothing but the kernel::

    with DockerEngine.start_new(tmp_path) as engine:
        engine.url                     # 'unix:///tmp/.../docker.sock' (DOCKER_HOST)
        engine.client().ping()         # a docker.DockerClient (the Docker SDK)
        image = engine.import_image(busybox_tar(tmp_path / "bb.tar"), "inspecpy-busybox:test")
        box = engine.run(image, ["sleep", "600"], name="web")   # --network none, removed at stop()
        engine.remove(box)

Stopped by PID: the containers are removed through the API, then dockerd
gets SIGTERM, then the containerd it started and any shim of that
containerd are killed by their PIDs. Image builders are in ``docker_images.py``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.servers.process import alive, pids_with_argument, terminate, unmount_under

DOCKERD = "/usr/sbin/dockerd"
_SOCKET_LIMIT = 100     # a unix socket path must fit in 108 bytes


def why_not_available() -> str | None:
    """None when a private dockerd can run here, else why not (for ``pytest.skip``).

    Only not being root is a reason: a missing ``docker.io`` is a failure of
    ``scripts/install-test-deps.sh``, not a skip."""
    if os.geteuid() != 0:
        return "needs root: dockerd manages namespaces, cgroups and overlay mounts"
    return None


@dataclass
class DockerEngine:
    """One running dockerd; :attr:`url` for ``DOCKER_HOST`` / ``--docker-host``, :meth:`client` for the SDK."""

    workdir: Path
    process: subprocess.Popen | None = None
    exec_root: Path = field(init=False)
    containerd_pid: int | None = None
    containers: list[str] = field(default_factory=list)     # ids made by run(), removed by stop()
    _short_dir: Path | None = None
    _client: object = None

    @property
    def data_root(self) -> Path:
        return self.workdir / "data"

    @property
    def socket(self) -> Path:
        return (self._short_dir or self.workdir) / "docker.sock"

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    @property
    def log(self) -> Path:
        return self.workdir / "dockerd.log"

    @property
    def pidfile(self) -> Path:
        return self.workdir / "dockerd.pid"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def env(self) -> dict[str, str]:
        """This process's environment with ``DOCKER_HOST`` pointing at this engine."""
        return {**os.environ, "DOCKER_HOST": self.url}

    @classmethod
    def start_new(cls, workdir: Path, extra_args: tuple[str, ...] = ()) -> "DockerEngine":
        """Start dockerd and wait until its API answers ``/_ping``."""
        workdir.mkdir(parents=True, exist_ok=True)
        engine = cls(workdir=workdir)
        engine.start(extra_args)
        return engine

    def start(self, extra_args: tuple[str, ...] = ()) -> None:
        if not os.path.exists(DOCKERD):
            raise RuntimeError(f"{DOCKERD} is missing: run scripts/install-test-deps.sh (Debian docker.io)")
        self.exec_root = self.workdir / "exec"
        if len(str(self.exec_root / "containerd" / "containerd.sock.ttrpc")) > _SOCKET_LIMIT or \
                len(str(self.socket)) > _SOCKET_LIMIT:
            self._short_dir = Path(tempfile.mkdtemp(prefix="inspecpy-dk-"))  # a deep pytest temp dir
            self.exec_root = self._short_dir / "exec"
        tag = secrets.token_hex(4)
        argv = [DOCKERD, "--data-root", str(self.data_root), "--exec-root", str(self.exec_root),
                "--pidfile", str(self.pidfile), "-H", self.url, "--bridge=none", "--iptables=false",
                "--ip6tables=false", "--ip-forward=false", "--ip-masq=false", "--userland-proxy=false",
                f"--cgroup-parent=inspecpy-docker-{tag}", "--config-file", str(self._config_file()),
                *extra_args]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dockerd exited with {self.process.returncode}: {self._log_tail()}")
            if self.socket.exists() and self._ping():
                self.containerd_pid = self._read_containerd_pid()
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"dockerd did not answer on {self.url}: {self._log_tail()}")

    def _config_file(self) -> Path:
        """An empty daemon.json, so the machine's /etc/docker/daemon.json (if any) does not apply."""
        path = self.workdir / "daemon.json"
        path.write_text("{}\n")
        return path

    def _ping(self) -> bool:
        try:
            return bool(self.client().ping())
        except Exception:  # not listening yet  # noqa: BLE001
            return False

    def _read_containerd_pid(self) -> int | None:
        path = self.exec_root / "containerd" / "containerd.pid"
        try:
            return int(path.read_text().strip())
        except (OSError, ValueError):
            return None

    def _log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    # ------------------------------------------------------------ the SDK
    def client(self):
        """A ``docker.DockerClient`` for this engine (one per engine, made on first use)."""
        if self._client is None:
            import docker

            self._client = docker.DockerClient(base_url=self.url, timeout=120)
        return self._client

    def import_image(self, tar: Path, tag: str, changes: list[str] | None = None) -> str:
        """``docker import`` *tar* as *tag* (``repo:tag``) with Dockerfile *changes*; returns *tag*."""
        repository, _, version = tag.partition(":")
        self.client().api.import_image_from_file(str(tar), repository=repository, tag=version or "latest",
                                                 changes=changes)
        return tag if version else f"{tag}:latest"

    def run(self, image: str, command: list[str] | str | None = None, name: str | None = None,
            network: str = "none", **kwargs):
        """Start a detached container (``--network none`` unless *network* says ``host``); removed by stop()."""
        container = self.client().containers.run(image, command, name=name, network_mode=network, detach=True,
                                                 **kwargs)
        self.containers.append(container.id)
        return container

    def remove(self, container) -> None:
        """Remove a container (object or id) by its id, running or not."""
        ident = getattr(container, "id", container)
        import docker

        try:
            self.client().api.remove_container(ident, force=True, v=True)
        except docker.errors.NotFound:
            pass
        if ident in self.containers:
            self.containers.remove(ident)

    # ------------------------------------------------------------ stop
    def stop(self) -> None:
        """Remove every container, then stop dockerd, its containerd and their shims by PID."""
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                for container in self.client().containers.list(all=True):
                    self.remove(container.id)
            except Exception:  # the API is gone: the PIDs below still stop everything  # noqa: BLE001
                pass
            terminate(self.pid)
        self.process.wait()
        if self.containerd_pid and alive(self.containerd_pid):
            terminate(self.containerd_pid)
        for shim in pids_with_argument(str(self.exec_root / "containerd" / "containerd.sock")):
            terminate(shim, timeout=2)
        unmount_under(self.data_root, self.exec_root)
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._short_dir is not None:
            shutil.rmtree(self._short_dir, ignore_errors=True)

    def __enter__(self) -> "DockerEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
