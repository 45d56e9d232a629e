"""pytest fixtures for the real servers of ``tests/servers/``, registered for every test under ``tests/``.

``tests/conftest.py`` loads this module (``pytest_plugins``), so any test asks
for a fixture by name and nothing else::

    def test_reads_the_isolated_host(isolated_sshd, cli):
        result = cli("exec", profile, *isolated_sshd.args())

Session-scoped (slow to start, shared; do not stop or break them):

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
- ``dask_cluster``: a factory, ``dask_cluster(workers=2, nthreads=1)`` → :class:`DaskCluster`
  (``address``, ``uri``, ``client()``, ``kill_worker(i)``, ``add_worker()``);
- ``docker_container``: a factory, ``docker_container(image, command, name=None, network="none")``
  → a started ``docker.models.containers.Container``, removed by id at the test's end;
- ``isolated_sshd_factory``: ``isolated_sshd_factory(files={...}, extra_config="")`` → a private
  :class:`IsolatedSshServer` (for tests that stop it or need other files).

A fixture skips only where the component cannot run at all (not root, no
namespaces): a package that is missing makes it fail, since
``scripts/install-test-deps.sh`` installs every one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest

from tests.servers import dask_cluster as dask_module
from tests.servers import docker_engine as docker_module
from tests.servers import docker_images
from tests.servers import isolated_sshd as isolated_module
from tests.servers import mlserver as mlserver_module
from tests.servers import nginx_tls as nginx_module
from tests.servers import prometheus as prometheus_module
from tests.servers.dask_cluster import DaskCluster
from tests.servers.docker_engine import DockerEngine
from tests.servers.isolated_sshd import IsolatedSshServer
from tests.servers.mlserver import MLServer
from tests.servers.nginx_tls import NginxTls
from tests.servers.prometheus import PrometheusServer, Pushgateway

STARTUP_SECONDS: dict[str, float] = {}    # fixture name -> seconds its server took to start (this session)


def _skip_unless_available(module) -> None:
    reason = module.why_not_available()
    if reason:
        pytest.skip(reason)


def _timed(name: str, start):
    began = time.monotonic()
    value = start()
    STARTUP_SECONDS[name] = time.monotonic() - began
    return value


@dataclass(frozen=True)
class BuiltImage:
    """An image imported into the session's engine, and what a test may assert about it."""

    tag: str
    files: dict[str, bytes] = field(default_factory=dict)    # path -> content, as built
    modes: dict[str, int] = field(default_factory=dict)      # path -> mode where not 0644
    command: tuple[str, ...] = ()                            # the image's CMD


# ------------------------------------------------------------------ SSH
@pytest.fixture(scope="session")
def _servers_ssh_users(tmp_path_factory):
    _skip_unless_available(isolated_module)
    from tests.integration.sshd import ensure_test_users

    return ensure_test_users(tmp_path_factory.mktemp("servers-ssh-users"))


@pytest.fixture(scope="session")
def isolated_sshd(_servers_ssh_users, tmp_path_factory):
    server = _timed("isolated_sshd", lambda: IsolatedSshServer.start_new(
        tmp_path_factory.mktemp("isolated-sshd"), _servers_ssh_users))
    yield server
    server.stop()


@pytest.fixture
def isolated_sshd_factory(_servers_ssh_users, tmp_path):
    servers: list[IsolatedSshServer] = []

    def start(**kwargs) -> IsolatedSshServer:
        server = IsolatedSshServer.start_new(tmp_path / f"isolated-sshd{len(servers)}", _servers_ssh_users, **kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


# ------------------------------------------------------------------ Docker
@pytest.fixture(scope="session")
def docker_engine(tmp_path_factory):
    _skip_unless_available(docker_module)
    engine = _timed("docker_engine", lambda: DockerEngine.start_new(tmp_path_factory.mktemp("docker")))
    yield engine
    engine.stop()


def _cmd(argv) -> str:
    return "CMD [" + ", ".join(f'"{a}"' for a in argv) + "]"


@pytest.fixture(scope="session")
def busybox_image(docker_engine, tmp_path_factory) -> BuiltImage:
    tar = docker_images.busybox_tar(tmp_path_factory.mktemp("busybox-image") / "rootfs.tar")
    tag = docker_engine.import_image(tar, "inspecpy-busybox:test", changes=[_cmd(docker_images.BUSYBOX_COMMAND)])
    return BuiltImage(tag, dict(docker_images.BUSYBOX_FILES), dict(docker_images.BUSYBOX_MODES),
                      tuple(docker_images.BUSYBOX_COMMAND))


@pytest.fixture(scope="session")
def noshell_image(docker_engine, tmp_path_factory) -> BuiltImage:
    tar = docker_images.noshell_tar(tmp_path_factory.mktemp("noshell-image") / "rootfs.tar")
    tag = docker_engine.import_image(tar, "inspecpy-noshell:test", changes=[_cmd(docker_images.NOSHELL_COMMAND)])
    return BuiltImage(tag, dict(docker_images.NOSHELL_FILES), dict(docker_images.NOSHELL_MODES),
                      tuple(docker_images.NOSHELL_COMMAND))


@pytest.fixture(scope="session")
def debian_image(docker_engine) -> BuiltImage:
    def build() -> str:
        return docker_engine.import_image(docker_images.debian_tar(), "inspecpy-debian:bookworm",
                                          changes=['CMD ["/bin/bash"]'])

    return BuiltImage(_timed("debian_image", build), {}, {}, ("/bin/bash",))


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
    server = _timed("mlserver", lambda: MLServer.start_new(tmp_path_factory.mktemp("mlserver")))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def nginx_tls(mlserver, tmp_path_factory):
    _skip_unless_available(nginx_module)
    proxy = _timed("nginx_tls", lambda: NginxTls.start_new(tmp_path_factory.mktemp("nginx"), mlserver.url))
    yield proxy
    proxy.stop()


# ------------------------------------------------------------------ Prometheus
@pytest.fixture
def prometheus_server(tmp_path):
    _skip_unless_available(prometheus_module)
    server = _timed("prometheus_server", lambda: PrometheusServer.start_new(tmp_path / "prometheus"))
    yield server
    server.stop()


@pytest.fixture
def pushgateway(tmp_path):
    _skip_unless_available(prometheus_module)
    gateway = _timed("pushgateway", lambda: Pushgateway.start_new(tmp_path / "pushgateway"))
    yield gateway
    gateway.stop()


# ------------------------------------------------------------------ Dask
@pytest.fixture
def dask_cluster(tmp_path):
    _skip_unless_available(dask_module)
    clusters: list[DaskCluster] = []

    def start(workers: int = 2, nthreads: int = 1) -> DaskCluster:
        cluster = _timed("dask_cluster", lambda: DaskCluster.start_new(
            tmp_path / f"dask{len(clusters)}", workers=workers, nthreads=nthreads))
        clusters.append(cluster)
        return cluster

    yield start
    for cluster in clusters:
        cluster.stop()


@pytest.fixture(scope="session")
def dask_cluster_session(tmp_path_factory):
    _skip_unless_available(dask_module)
    cluster = _timed("dask_cluster_session", lambda: DaskCluster.start_new(tmp_path_factory.mktemp("dask")))
    yield cluster
    cluster.stop()


def pytest_terminal_summary(terminalreporter) -> None:
    """One line with each server's start-up time this session (a figure, never asserted)."""
    if STARTUP_SECONDS:
        figures = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in sorted(STARTUP_SECONDS.items()))
        terminalreporter.write_line(f"server start-up: {figures}")
