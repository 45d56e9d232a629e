"""pytest fixtures for the real servers of ``tests/servers/``, registered for every test under ``tests/``.

``tests/conftest.py`` loads this module (``pytest_plugins``), so any test asks
for a fixture by name and nothing else::

    def test_reads_the_isolated_host(isolated_sshd, cli):
        result = cli("exec", profile, *isolated_sshd.args())

Session-scoped (slow to start, shared; do not stop or break them):

- ``ssh_users``: the SSH test accounts and client key (:class:`TestUsers`, made once a session);
- ``sshd``: :class:`SshServer` on loopback (``args()``, ``target()``, ``options()``, ``connections()``);
- ``isolated_sshd``: :class:`IsolatedSshServer` (``args()``, ``target()``, ``ssh(cmd)``,
  ``marker_path``, ``marker_content``, ``login_defs_max_days``, ``hostname``, ``os_release``,
  ``extra_user``, ``put(path, content)``);
- ``docker_engine``: :class:`DockerEngine` (``url``, ``env()``, ``client()``, ``run()``, ``remove()``);
- ``busybox_image``, ``noshell_image``, ``debian_image``: :class:`BuiltImage` (``tag``, ``files``,
  ``command``) imported into ``docker_engine``; ``debian_image`` runs debootstrap once per machine
  (about 40 s, then cached in /var/cache/inspecpy-tests/);
- ``mlserver``: :class:`MLServer` (``url``, ``infer_url``, ``model_name``, ``predict()``,
  ``model_npz``, ``test_npz``, ``X_test``, ``y_test``);
- ``nginx_tls``: :class:`NginxTls` in front of ``mlserver`` (``https_url``, ``http_url``,
  ``ca_file``, ``token``, ``auth_header()``, ``ssl_context()``);
- ``dask_cluster_session``: a two-worker :class:`DaskCluster` (never kill its workers).

Function-scoped (fresh for each test, stopped at its end even when it fails):

- ``prometheus_server``: :class:`PrometheusServer` (``url``, ``add_scrape_target()``,
  ``load_rules()``, ``wait_target_up()``, ``query()``, ``wait_query()``);
- ``pushgateway``: :class:`Pushgateway` (``url``, ``address``, ``push()``);
- ``exporter_factory``: a factory, ``exporter_factory(*args, wait=True)`` → a started ``inspecpy exporter
  ARGS`` (:class:`ExporterProcess`: ``url``, ``address``, ``metrics()``, ``wait_for()``, ``stop()``);
- ``dask_cluster``: a factory, ``dask_cluster(workers=2, nthreads=1, tls=None)`` → :class:`DaskCluster`
  (``address``, ``uri``, ``client()``, ``kill_worker(i)``, ``add_worker()``; *tls* a ``make_ca(…,
  client_auth=True)`` for a ``tls://`` cluster);
- ``docker_container``: a factory, ``docker_container(image, command, name=None, network="none")``
  → a started ``docker.models.containers.Container``, removed by id at the test's end;
- ``sshd_factory``: ``sshd_factory(**kwargs)`` → a private :class:`SshServer` (for tests that stop or kill it);
- ``isolated_sshd_factory``: ``isolated_sshd_factory(files={...}, extra_config="")`` → a private
  :class:`IsolatedSshServer` (for tests that stop it or need other files).

A fixture skips only where the component cannot run at all (not root, no
namespaces): a package that is missing makes it fail, since
``scripts/install-test-deps.sh`` installs every one. :func:`serve` and
:func:`serve_many` are the body of every server fixture.
"""

from __future__ import annotations

import time
from typing import Callable, Iterator, Protocol, TypeVar

import pytest

from tests.integration import sshd as sshd_module
from tests.integration.exporter_process import ExporterProcess
from tests.integration.sshd import SshServer, TestUsers, ensure_test_users
from tests.servers import dask_cluster as dask_module
from tests.servers import docker_engine as docker_module
from tests.servers import docker_images
from tests.servers import isolated_sshd as isolated_module
from tests.servers import mlserver as mlserver_module
from tests.servers import nginx_tls as nginx_module
from tests.servers import prometheus as prometheus_module
from tests.servers.dask_cluster import DaskCluster
from tests.servers.docker_engine import DockerEngine
from tests.servers.docker_images import BuiltImage
from tests.servers.isolated_sshd import IsolatedSshServer
from tests.servers.mlserver import MLServer
from tests.servers.nginx_tls import NginxTls
from tests.servers.prometheus import PrometheusServer, Pushgateway

STARTUP_SECONDS: dict[str, float] = {}    # fixture name -> seconds its server took to start (this session)
T = TypeVar("T")


class _Server(Protocol):
    def stop(self) -> object: ...


S = TypeVar("S", bound=_Server)


def _skip_unless_available(module) -> None:
    reason = module.why_not_available()
    if reason:
        pytest.skip(reason)


def _timed(name: str, start: Callable[[], T]) -> T:
    began = time.monotonic()
    value = start()
    STARTUP_SECONDS[name] = time.monotonic() - began
    return value


def serve(name: str, start: Callable[[], S]) -> Iterator[S]:
    """A server fixture's body: ``yield from serve("mlserver", lambda: MLServer.start_new(…))``.

    Starts the server (its start-up time counted under *name*), yields it, and stops it by its PID."""
    server = _timed(name, start)
    try:
        yield server
    finally:
        server.stop()


def serve_many(start: Callable[..., S]) -> Iterator[Callable[..., S]]:
    """A factory fixture's body: yields ``make(**kwargs)``, which returns ``start(index, **kwargs)``
    (index 0, 1, … for the servers' folders); every server made is stopped by its PID at the test's end."""
    servers: list[S] = []

    def make(*args, **kwargs) -> S:
        server = start(len(servers), *args, **kwargs)
        servers.append(server)
        return server

    try:
        yield make
    finally:
        for server in servers:
            server.stop()


# ------------------------------------------------------------------ SSH
@pytest.fixture(scope="session")
def ssh_users(tmp_path_factory) -> TestUsers:
    _skip_unless_available(sshd_module)
    return ensure_test_users(tmp_path_factory.mktemp("ssh-users"))


@pytest.fixture(scope="session")
def sshd(ssh_users, tmp_path_factory):
    yield from serve("sshd", lambda: SshServer.start_new(tmp_path_factory.mktemp("sshd"), ssh_users))


@pytest.fixture
def sshd_factory(ssh_users, tmp_path):
    yield from serve_many(lambda index, **kwargs: SshServer.start_new(tmp_path / f"sshd{index}", ssh_users, **kwargs))


@pytest.fixture(scope="session")
def isolated_sshd(ssh_users, tmp_path_factory):
    _skip_unless_available(isolated_module)
    yield from serve("isolated_sshd", lambda: IsolatedSshServer.start_new(
        tmp_path_factory.mktemp("isolated-sshd"), ssh_users))


@pytest.fixture
def isolated_sshd_factory(ssh_users, tmp_path):
    _skip_unless_available(isolated_module)
    yield from serve_many(lambda index, **kwargs: IsolatedSshServer.start_new(
        tmp_path / f"isolated-sshd{index}", ssh_users, **kwargs))


# ------------------------------------------------------------------ Docker
@pytest.fixture(scope="session")
def docker_engine(tmp_path_factory):
    _skip_unless_available(docker_module)
    yield from serve("docker_engine", lambda: DockerEngine.start_new(tmp_path_factory.mktemp("docker")))


@pytest.fixture(scope="session")
def busybox_image(docker_engine, tmp_path_factory) -> BuiltImage:
    return docker_images.import_busybox(docker_engine, tmp_path_factory.mktemp("busybox-image"))


@pytest.fixture(scope="session")
def noshell_image(docker_engine, tmp_path_factory) -> BuiltImage:
    return docker_images.import_noshell(docker_engine, tmp_path_factory.mktemp("noshell-image"))


@pytest.fixture(scope="session")
def debian_image(docker_engine) -> BuiltImage:
    return _timed("debian_image", lambda: docker_images.import_debian(docker_engine))


@pytest.fixture
def docker_container(docker_engine):
    made = []

    def run(image: str | BuiltImage, command=None, name: str | None = None, network: str = "none", **kwargs):
        tag = image.tag if isinstance(image, BuiltImage) else image
        container = docker_engine.run(tag, command, name=name, network=network, **kwargs)
        made.append(container.id)
        return container

    yield run
    for ident in made:
        docker_engine.remove(ident)


# ------------------------------------------------------------------ model serving
@pytest.fixture(scope="session")
def mlserver(tmp_path_factory):
    _skip_unless_available(mlserver_module)
    yield from serve("mlserver", lambda: MLServer.start_new(tmp_path_factory.mktemp("mlserver")))


@pytest.fixture(scope="session")
def nginx_tls(mlserver, tmp_path_factory):
    _skip_unless_available(nginx_module)
    yield from serve("nginx_tls", lambda: NginxTls.start_new(tmp_path_factory.mktemp("nginx"), mlserver.url))


# ------------------------------------------------------------------ Prometheus
@pytest.fixture
def prometheus_server(tmp_path):
    _skip_unless_available(prometheus_module)
    yield from serve("prometheus_server", lambda: PrometheusServer.start_new(tmp_path / "prometheus"))


@pytest.fixture
def pushgateway(tmp_path):
    _skip_unless_available(prometheus_module)
    yield from serve("pushgateway", lambda: Pushgateway.start_new(tmp_path / "pushgateway"))


@pytest.fixture
def exporter_factory(tmp_path):
    yield from serve_many(lambda index, *args, wait=True: ExporterProcess.start(
        tmp_path / f"exporter{index}", *args, wait=wait))


# ------------------------------------------------------------------ Dask
@pytest.fixture
def dask_cluster(tmp_path):
    _skip_unless_available(dask_module)

    def start(index: int, workers: int = 2, nthreads: int = 1, tls=None) -> DaskCluster:
        return _timed("dask_cluster", lambda: DaskCluster.start_new(
            tmp_path / f"dask{index}", workers=workers, nthreads=nthreads, tls=tls))

    yield from serve_many(start)


@pytest.fixture(scope="session")
def dask_cluster_session(tmp_path_factory):
    _skip_unless_available(dask_module)
    yield from serve("dask_cluster_session", lambda: DaskCluster.start_new(tmp_path_factory.mktemp("dask")))


def pytest_terminal_summary(terminalreporter) -> None:
    """One line with each server's start-up time this session (a figure, never asserted)."""
    if STARTUP_SECONDS:
        figures = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in sorted(STARTUP_SECONDS.items()))
        terminalreporter.write_line(f"server start-up: {figures}")
