"""Container faults (issue 16): each is one clear line naming the container or the engine, and nothing
else is lost (the other targets run, the checks done before it are reported, the report is written)."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest

from tests.bad_input.faults import OK
from tests.conftest import error_line, run_cli, write_profile

pytestmark = pytest.mark.integration


@pytest.fixture
def profile(tmp_path):
    return write_profile(tmp_path, "p", {"ok.py": OK})


def test_engine_not_running(profile, tmp_path):
    socket = tmp_path / "no-engine.sock"
    run = run_cli("exec", profile, "-t", "docker://web", "-t", "local://", "--docker-host", f"unix://{socket}",
                  "--no-color")
    assert run.code == 1
    assert error_line(run) == (f"inspecpy: error: docker://web: cannot reach the container engine at "
                               f"unix://{socket}: no such socket (is the engine running?)")
    assert "Target:    local://" in run.out and "✔  ok" in run.out  # the other target still ran


def test_podman_without_its_socket(profile, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("CONTAINER_HOST", "DOCKER_HOST")}
    env["XDG_RUNTIME_DIR"] = str(tmp_path)  # not root: the user's socket would be here
    run = run_cli("exec", profile, "-t", "podman://web", env=env)
    assert run.code == 1
    line = error_line(run)
    assert line.startswith("inspecpy: error: podman://web: cannot reach the container engine at unix://")
    assert line.endswith("podman.sock: no such socket (is the engine running?)")


def test_docker_scheme_alone_lists_the_running_containers(profile, docker_engine, docker_container, busybox_image):
    box = docker_container(busybox_image, ["sleep", "600"], name="inspecpy-listed")
    run = run_cli("exec", profile, "-t", "docker://", env=docker_engine.env())
    assert run.code == 1
    line = error_line(run)
    assert line.startswith("inspecpy: error: docker://: docker:// needs a container name or id; running: ")
    assert f"inspecpy-listed ({box.id[:12]})" in line


def test_no_such_container(profile, docker_engine, docker_container, busybox_image):
    docker_container(busybox_image, ["sleep", "600"], name="inspecpy-real")
    run = run_cli("exec", profile, "-t", "docker://inspecpy-typo", env=docker_engine.env())
    assert run.code == 1
    line = error_line(run)
    assert "no such container: inspecpy-typo (running: " in line and "inspecpy-real (" in line


def test_a_stopped_container(profile, docker_engine, docker_container, busybox_image):
    box = docker_container(busybox_image, ["true"], name="inspecpy-exited")
    box.wait(timeout=60)
    run = run_cli("exec", profile, "-t", "docker://inspecpy-exited", env=docker_engine.env())
    assert run.code == 1
    assert error_line(run) == "inspecpy: error: docker://inspecpy-exited: container inspecpy-exited is not running (exited)"


STOPS = """
from inspecpy import control, describe
from inspecpy.resources import command, file

@control("before")
def _():
    describe(file("/etc/inspecpy-image")).should.exist()

@control("during")
def _():
    describe(command("sleep 29")).its("exit_status").should.eq(0)

@control("after")
def _():
    describe(file("/etc/passwd")).should.exist()
    describe(command("echo hi")).its("stdout").should.eq("hi\\n")
"""


def test_a_container_that_stops_mid_run(tmp_path, docker_engine, docker_container, busybox_image):
    box = docker_container(busybox_image, ["sleep", "600"], name="inspecpy-stops")
    profile = write_profile(tmp_path, "stops", {"c.py": STOPS})
    report = tmp_path / "report.json"

    def kill_when_sleeping():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if any("sleep 29" in " ".join(row) for row in box.top()["Processes"]):
                box.kill()
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_when_sleeping)
    killer.start()
    run = run_cli("exec", profile, "-t", "docker://inspecpy-stops", "--reporter", f"json:{report}",
                  env=docker_engine.env())
    killer.join()
    assert run.code == 100, run.err
    results = {c["id"]: c["results"] for c in json.loads(report.read_text())["profiles"][0]["controls"]}
    assert [r["status"] for r in results["before"]] == ["passed"]
    for control in ("during", "after"):
        for result in results[control]:
            assert result["status"] == "failed"
            assert "container inspecpy-stops stopped during the run (exited)" in result["message"], result
