"""One short real test per server of tests/servers/: each starts, answers and differs as promised."""

from __future__ import annotations

import http.client
import json
import os
import ssl
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.integration import sshd as sshd_module
from tests.integration.sshd import SshServer, free_port
from tests.servers.docker_images import NOSHELL_PROGRAM, ODD_NAME
from tests.servers.process import alive

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.integration


# ------------------------------------------------------------------ sshd
def test_an_sshd_that_never_listens_is_stopped_by_start(ssh_users, tmp_path, monkeypatch):
    def refused(*args, **kwargs):
        raise OSError("connection refused (test)")

    server = SshServer(workdir=tmp_path / "sshd", users=ssh_users, port=free_port())
    server._configure("")
    monkeypatch.setattr(sshd_module, "socket", type("NoSocket", (), {"create_connection": staticmethod(refused)}))
    with pytest.raises(RuntimeError, match="did not listen"):
        server.start()  # waits its 10 s for a connection that never comes
    assert not alive(server.pid)  # stopped by start(), not left listening


# ------------------------------------------------------------------ isolated sshd
def test_isolated_sshd_has_its_own_files(isolated_sshd, tmp_path):
    local_only = tmp_path / "only-here.txt"
    local_only.write_text("local\n")

    marker = isolated_sshd.ssh(f"cat {isolated_sshd.marker_path}")
    assert marker.returncode == 0, marker.stderr
    assert marker.stdout == isolated_sshd.marker_content + "\n"
    assert not os.path.exists(isolated_sshd.marker_path)

    remote = isolated_sshd.ssh(
        f"test -e {ROOT} && echo checkout; test -e {local_only} && echo local-file; "
        f"grep -E '^PASS_MAX_DAYS' /etc/login.defs; hostname; id -u {isolated_sshd.extra_user}")
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout.split("\n") == [f"PASS_MAX_DAYS\t{isolated_sshd.login_defs_max_days}",
                                         isolated_sshd.hostname, str(isolated_sshd.extra_uid), ""]
    assert "PASS_MAX_DAYS\t42" not in Path("/etc/login.defs").read_text()


def test_isolated_sshd_serves_inspecpy_and_dies_with_its_namespace(isolated_sshd_factory, cli):
    server = isolated_sshd_factory(files={"/srv/app/settings.ini": "[app]\nmode = isolated\n"})
    detected = cli("detect", *server.args())
    assert detected.code == 0, detected.err
    assert f"Name:      {server.os_release['ID']}" in detected.out

    session = server.ssh("nohup sleep 300 >/dev/null 2>&1 & echo started")   # leaves a process in the namespace
    assert session.stdout == "started\n"
    in_namespace = server.namespace_pids()
    assert server.pid in in_namespace and len(in_namespace) >= 2
    server.stop()
    assert server.namespace_pids() == []
    assert not any(os.path.exists(f"/proc/{pid}") and _state(pid) != "Z" for pid in in_namespace)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


# ------------------------------------------------------------------ docker
def test_busybox_container_runs_echo(docker_container, busybox_image):
    box = docker_container(busybox_image, ["sleep", "300"], name="inspecpy-smoke-busybox")
    result = box.exec_run(["echo", "hello", "from", "busybox"])
    assert (result.exit_code, result.output) == (0, b"hello from busybox\n")
    marker = box.exec_run(["cat", "/etc/inspecpy-image"])
    assert marker.output == busybox_image.files["/etc/inspecpy-image"]


def test_noshell_container_exists_without_a_shell(docker_container, noshell_image):
    import docker

    box = docker_container(noshell_image)
    box.reload()
    assert box.status == "running"
    assert box.attrs["Config"]["Cmd"] == list(noshell_image.command)
    shell = box.exec_run(["/bin/sh", "-c", "true"])
    assert shell.exit_code != 0 and b"no such file" in shell.output.lower()
    for path in ("/bin/sh", "/bin/busybox", "/usr/bin/env"):
        with pytest.raises(docker.errors.NotFound):
            box.get_archive(path)
    _, odd = box.get_archive(ODD_NAME)
    assert odd["name"] == os.path.basename(ODD_NAME) and odd["size"] == len(noshell_image.files[ODD_NAME])
    _, program = box.get_archive(NOSHELL_PROGRAM)
    assert program["mode"] & 0o111


def test_two_engines_do_not_collide(docker_engine, busybox_image, tmp_path):
    from tests.servers import docker_images
    from tests.servers.docker_engine import DockerEngine

    with DockerEngine.start_new(tmp_path / "second") as second:
        assert second.url != docker_engine.url and second.pid != docker_engine.pid
        tag = second.import_image(docker_images.busybox_tar(tmp_path / "bb.tar"), busybox_image.tag)
        box = second.run(tag, ["sleep", "300"], name="same-name-in-both")
        first = docker_engine.run(busybox_image.tag, ["sleep", "300"], name="same-name-in-both")
        try:
            assert box.id != first.id
            assert [c.id for c in second.client().containers.list()] == [box.id]
        finally:
            docker_engine.remove(first)
    assert not os.path.exists(f"/proc/{second.pid}")
    assert docker_engine.client().ping()


@pytest.mark.slow
def test_debian_image_runs(docker_container, debian_image):
    box = docker_container(debian_image, ["sleep", "300"])
    result = box.exec_run(["sh", "-c", ". /etc/os-release && echo $ID $VERSION_CODENAME && dpkg -s dash | head -1"])
    assert result.exit_code == 0, result.output
    assert result.output.decode().split("\n")[:2] == ["debian bookworm", "Package: dash"]


# ------------------------------------------------------------------ MLServer + nginx
def test_mlserver_answers_v2_inference(mlserver):
    rows = mlserver.X_test[:7]
    answer = mlserver.infer(rows)
    assert answer["model_name"] == mlserver.model_name
    predictions = answer["outputs"][0]["data"]
    assert len(predictions) == 7
    assert sum(int(p == y) for p, y in zip(predictions, mlserver.y_test[:7])) >= 6
    probabilities = mlserver.infer(rows[:2], outputs=["predict_proba"])["outputs"][0]
    assert probabilities["shape"] == [2, 10]


def test_nginx_requires_token_and_tls(mlserver, nginx_tls):
    infer = f"/v2/models/{mlserver.model_name}/infer"
    with pytest.raises(urllib.error.HTTPError) as no_token:
        mlserver.infer(mlserver.X_test[:1], url=nginx_tls.https_url + infer, context=nginx_tls.ssl_context())
    assert no_token.value.code == 401
    with pytest.raises(urllib.error.HTTPError) as wrong_token:
        mlserver.infer(mlserver.X_test[:1], url=nginx_tls.https_url + infer, context=nginx_tls.ssl_context(),
                       headers=nginx_tls.auth_header("not-the-token"))
    assert wrong_token.value.code == 401

    answer = mlserver.infer(mlserver.X_test[:3], url=nginx_tls.https_url + infer, context=nginx_tls.ssl_context(),
                            headers=nginx_tls.auth_header())
    assert len(answer["outputs"][0]["data"]) == 3

    with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
        urllib.request.urlopen(nginx_tls.https_url + "/v2/health/ready", context=ssl.create_default_context(),
                               timeout=10)

    plain = http.client.HTTPConnection("127.0.0.1", int(nginx_tls.http_url.rsplit(":", 1)[1]), timeout=10)
    plain.request("POST", infer, body=json.dumps({"inputs": []}),
                  headers={"Content-Type": "application/json", **nginx_tls.auth_header()})
    response = plain.getresponse()
    body = response.read()
    assert response.status in (301, 403)
    assert b"outputs" not in body
    plain.close()


# ------------------------------------------------------------------ Prometheus
def test_pushgateway_value_reaches_prometheus(prometheus_server, pushgateway):
    pushgateway.push("inspecpy_smoke", "# TYPE inspecpy_smoke_value gauge\ninspecpy_smoke_value 42\n",
                     instance="smoke")
    prometheus_server.add_scrape_target("pushgateway", pushgateway.address, honor_labels=True)
    prometheus_server.wait_target_up("pushgateway")
    result = prometheus_server.wait_query('inspecpy_smoke_value{job="inspecpy_smoke"}')
    assert [r["value"][1] for r in result] == ["42"]

    prometheus_server.load_rules("smoke", {"groups": [{"name": "smoke", "rules": [
        {"alert": "SmokeValueHigh", "expr": "inspecpy_smoke_value > 10", "labels": {"severity": "page"}}]}]})
    assert prometheus_server.wait_rule_group("smoke")["rules"][0]["name"] == "SmokeValueHigh"


# ------------------------------------------------------------------ Dask
def test_dask_cluster_runs_on_two_workers_and_survives_a_kill(dask_cluster):
    cluster = dask_cluster(workers=2)
    with cluster.client() as client:
        pids = set(client.run(os.getpid).values())
        assert pids == set(cluster.worker_pids)
        assert client.submit(pow, 2, 10, pure=False).result(timeout=60) == 1024

        killed = cluster.kill_worker(0)
        assert not os.path.exists(f"/proc/{killed}")
        cluster.wait_worker_count(1)
        assert client.submit(sum, [1, 2, 3], pure=False).result(timeout=60) == 6
        assert set(client.run(os.getpid).values()) == {cluster.worker_pids[1]}
