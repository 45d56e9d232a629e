"""The container target: ``-t docker://CONTAINER`` (a name or an id), through the Engine API.

Commands run in one ``/bin/sh`` started with the exec API and kept for the
whole run (:mod:`.exec_pipes`); files are read through that shell
(``stat``, ``dd`` windows: the same scripts as an SSH host without SFTP), or,
in a container without a shell, through the archive API (:mod:`.archive_files`),
so file checks still work in a distroless image while command checks fail
saying why. The platform is read inside the container (``/etc/os-release``
and ``uname``; without a shell, the engine's kernel and architecture, which
are the container's). The Docker SDK for Python talks to the engine (the
``docker`` extra: ``pip install 'inspecpy[docker]'``), imported on first use::

    inspecpy exec profiles/linux-baseline -t docker://web
    inspecpy exec profiles/linux-baseline -t docker://web --docker-host tcp://10.0.0.5:2376 --user app
    DOCKER_HOST=unix:///run/user/1000/docker.sock inspecpy detect -t docker://3f1c9a0b7d2e
    inspecpy exec profiles/linux-baseline -t podman://web      # podman's Docker-compatible socket

The engine is ``--docker-host``, else ``DOCKER_HOST`` (with ``DOCKER_TLS_VERIFY``
and ``DOCKER_CERT_PATH`` for a TLS engine), else the local socket. ``--user``
runs the commands (and the shell's file probes) as that user. A container that
stops during the run fails every later probe at once with the reason.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import BinaryIO, Callable, ClassVar, TypeVar

from inspecpy.errors import TargetError, UsageError
from inspecpy.targets.base import CommandResult, FileStat, Target, TargetOptions
from inspecpy.targets.docker.archive_files import ArchiveFiles
from inspecpy.targets.docker.exec_pipes import ExecPerCommand, NoShell, start_shell
from inspecpy.targets.framed_shell import FramedShell, SessionLost
from inspecpy.targets.shell_files import ShellFiles

log = logging.getLogger("inspecpy.target.docker")
T = TypeVar("T")
API_TIMEOUT = 60
STOPPING_GRACE = 5.0   # seconds the engine may take to show a stopping container as stopped
SHOWN_CONTAINERS = 10


def _sdk():
    try:
        import docker
    except ImportError:
        raise UsageError("docker:// needs the Docker SDK for Python: pip install 'inspecpy[docker]'") from None
    return docker


def engine_client(base_url: str | None, env_host: str = "DOCKER_HOST", default: str | None = None):
    """A low-level ``docker.APIClient`` for *base_url* (else ``$env_host``, else *default* or the SDK's)."""
    docker = _sdk()
    settings = docker.utils.kwargs_from_env()  # DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH
    url = base_url or os.environ.get(env_host) or default
    if url:
        settings["base_url"] = url
    shown = settings.get("base_url") or "the local Docker socket"
    try:
        return docker.APIClient(version="auto", timeout=API_TIMEOUT, **settings)
    except docker.errors.DockerException as error:
        raise TargetError(f"cannot reach the container engine at {shown}: {_reason(error)}") from None


def _reason(error: Exception) -> str:
    """The engine's one-line reason (the SDK's messages nest the transport's)."""
    text = str(getattr(error, "explanation", None) or error)
    for sign, reason in (("FileNotFoundError", "no such socket"), ("ConnectionRefused", "connection refused"),
                         ("PermissionError", "permission denied on the socket")):
        if sign in text:
            return f"{reason} (is the engine running?)"
    return text.splitlines()[0] if text else type(error).__name__


def _says_stopped(message: str) -> bool:
    """The engine's words for a container that is stopping or stopped."""
    return any(words in message for words in ("stopped container", "is not running", "is restarting"))


def _engine_errors() -> tuple[type[Exception], ...]:
    """What the SDK raises when the engine refuses a request or cannot be reached."""
    import requests

    return _sdk().errors.DockerException, requests.RequestException


def running_containers(api) -> str:
    """``web (3f1c9a0b7d2e), db (…)``: what the engine runs, for error messages."""
    try:
        found = api.containers()
    except _engine_errors() as error:
        return f"cannot list them: {_reason(error)}"
    names = [f"{c['Names'][0].lstrip('/')} ({c['Id'][:12]})" for c in found[:SHOWN_CONTAINERS]]
    more = f", … ({len(found)} in all)" if len(found) > SHOWN_CONTAINERS else ""
    return ", ".join(names) + more if names else "none is running"


class DockerTarget(Target):
    """A running container, through the Engine API (see the module docstring)."""

    scheme = "docker"
    description = "a running container (docker://NAME or ID), through the Docker Engine API"
    host_variable: ClassVar[str] = "DOCKER_HOST"
    default_host: ClassVar[str | None] = None  # the SDK's: unix:///var/run/docker.sock

    def __init__(self, uri: str, options: TargetOptions | None = None):
        super().__init__(uri, options)
        self.container = uri.split("://", 1)[1].strip("/") if "://" in uri else ""
        self._api = None
        self._id: str | None = None
        self._shell: FramedShell | ExecPerCommand | None = None
        self._files: ShellFiles | ArchiveFiles | None = None
        self._no_shell: str | None = None      # why commands cannot run in this container
        self._dead: str | None = None          # why the container is gone for good
        self._restarted = False
        self._connect_lock = threading.RLock()
        if not self.container:
            raise UsageError(f"{self.scheme}:// needs a container name or id; running: "
                             f"{running_containers(self._engine())}")

    # ------------------------------------------------------------ connection
    def _engine(self):
        if self._api is None:
            self._api = engine_client(self.options.docker_host, self.host_variable, self.default_host)
        return self._api

    def _connect(self) -> None:
        """Find the container, start the shell (or note why there is none) and pick the file access."""
        api, docker = self._engine(), _sdk()
        try:
            info = api.inspect_container(self.container)
        except docker.errors.NotFound:
            raise TargetError(f"no such container: {self.container} (running: {running_containers(api)})") from None
        except docker.errors.APIError as error:
            raise TargetError(f"cannot inspect container {self.container}: {_reason(error)}") from None
        state = info.get("State", {})
        if not state.get("Running"):
            status = state.get("Status", "stopped")
            if self._id is not None:  # it ran when this target connected first
                self._dead = f"container {self.container} stopped during the run ({status})"
                raise TargetError(self._dead)
            raise TargetError(f"container {self.container} is not running ({status})")
        self._id = info["Id"]
        try:
            self._shell = start_shell(api, self._id, self.options.user)
        except (docker.errors.APIError, TargetError) as error:
            self._check_running(str(error), stopping=_says_stopped(str(error)))  # stopping as we connect?
            if isinstance(error, NoShell):
                self._no_shell = f"cannot run commands in container {self.container}: {error}"
                log.debug("%s: %s; files are read through the archive API", self.name, error)
            else:
                log.debug("%s: no framed shell (%s); one exec per command", self.name, error)
                self._shell = ExecPerCommand(api, self._id, self.options.user)
        shell = self._shell
        if shell is None:
            self._files = ArchiveFiles(api, self._id)
        else:
            timeout = self.options.command_timeout
            self._files = ShellFiles(lambda command: shell.run_bytes(command, timeout),
                                     "the container's shell could not")

    def _call(self, probe: Callable[[], T]) -> T:
        """Run *probe* once connected; a lost shell is restarted once if the container still runs."""
        with self._connect_lock:
            if self._dead:
                raise TargetError(self._dead)
            if self._id is None:
                self._connect()
        try:
            return probe()
        except SessionLost as lost:
            return self._restart_and_retry(str(lost), probe)
        except _engine_errors() as error:  # the engine refused, or went away mid-run
            self._check_running(_reason(error))
            raise TargetError(f"container {self.container}: {_reason(error)}") from None

    def _restart_and_retry(self, lost: str, probe: Callable[[], T]) -> T:
        with self._connect_lock:
            self._check_running(lost, stopping=True)
            if self._restarted:
                self._dead = f"the shell in container {self.container} exited again ({lost}); not restarting twice"
                raise TargetError(self._dead)
            self._restarted = True
            log.warning("%s: %s; restarting the shell", self.name, lost)
            self._close_shell()
            self._connect()
        try:
            return probe()
        except SessionLost as again:
            raise TargetError(f"container {self.container}: {again}") from None

    def _check_running(self, why: str, stopping: bool = False) -> None:
        """Turn a lost session in a container that stopped into the final reason for every later probe;
        *stopping*: the engine said so already, so wait a moment for its state to show it."""
        deadline = time.monotonic() + (STOPPING_GRACE if stopping else 0)
        while True:
            try:
                state = self._engine().inspect_container(self._id or self.container).get("State", {})
                running, status = state.get("Running"), state.get("Status", "gone")
            except Exception:  # noqa: BLE001 - removed, or the engine itself went away
                running, status = False, "removed, or the engine is gone"
            if not running:
                self._dead = f"container {self.container} stopped during the run ({status}): {why}"
                raise TargetError(self._dead)
            if time.monotonic() >= deadline:
                return
            time.sleep(0.05)

    def _close_shell(self) -> None:
        if self._shell is not None:
            try:
                self._shell.close()
            except Exception:  # noqa: BLE001 - the container may be gone
                pass
            self._shell = None

    def close(self) -> None:
        with self._connect_lock:
            self._close_shell()
            if self._api is not None:
                self._api.close()
                self._api = None

    # ------------------------------------------------------------ primitives
    def _run(self, command: str, timeout: float | None) -> CommandResult:
        def run() -> CommandResult:
            if self._shell is None:
                raise TargetError(self._no_shell or f"no shell in container {self.container}")
            return self._shell.run(command, timeout)

        return self._call(run)

    def _uname(self) -> str:
        self._call(lambda: None)
        if self._shell is not None:
            return super()._uname()
        engine = self._engine().info()  # a container runs on the engine's kernel
        return f"{engine.get('OSType', 'linux').capitalize()} {engine.get('KernelVersion', '')} " \
               f"{engine.get('Architecture', '')}"

    def _stat(self, path: str) -> FileStat:
        return self._call(lambda: self._connected_files().stat(path))

    def _open(self, path: str) -> BinaryIO:
        return self._call(lambda: self._connected_files().open(path))

    def _listdir(self, path: str) -> list[str]:
        return self._call(lambda: self._connected_files().listdir(path))

    def _connected_files(self) -> ShellFiles | ArchiveFiles:
        if self._files is None:  # _call connects first: only a bug gets here
            raise TargetError(f"container {self.container} is not connected")
        return self._files


class PodmanTarget(DockerTarget):
    """A running podman container, through podman's Docker-compatible API socket."""

    scheme = "podman"
    description = "a running podman container (podman://NAME or ID), through podman's Docker-compatible socket"
    host_variable = "CONTAINER_HOST"
    default_host = ("unix:///run/podman/podman.sock" if os.geteuid() == 0 else
                    f"unix://{os.environ.get('XDG_RUNTIME_DIR', f'/run/user/{os.geteuid()}')}/podman/podman.sock")
