"""``-t docker://…`` against a real engine (tests/servers: dockerd, local images, ``--network none``).

Parity: every shipped profile gives, through ``docker://`` from outside, the
verdicts that ``local://`` gives INSIDE the same container (this machine's
Python and checkout are bind-mounted read-only into it, at the same paths, so
both runs see one filesystem). Then what a container adds: a model baked into
an image, ``--user``, timeouts without pgrep/ps, odd names and binary files.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tarfile
from pathlib import Path

import pytest

from inspecpy.targets.base import TargetOptions
from inspecpy.targets.docker.target import DockerTarget
from tests.conftest import ROOT, run_cli, write_profile
from tests.unit.ml.scan_corpus.corpus import _tar
from tests.servers.docker_images import BUSYBOX_FILES, NOSHELL_FILES, NOSHELL_OWNERS, ODD_NAME

pytestmark = pytest.mark.integration

PROFILES = sorted(p.name for p in (ROOT / "profiles").iterdir() if (p / "inspec.yml").exists())
# Inputs that point a profile at data inside the container (the defaults read the current folder).
INPUTS = {
    "ci-baseline": [f"workflows_path={ROOT}/profiles/ci-baseline/files/failing/workflows"],
    "kserve-baseline": [f"manifests_path={ROOT}/profiles/kserve-baseline/files"],
}
MODELS = "/srv/models"
MODEL_FILES = ("model.npz", "model.npz.sig", "legacy_model.pkl", "train.npz", "test.npz", "recent.csv",
               "tickets.jsonl")
# The publisher's key is a trust anchor: read where inspecpy runs, never from the inspected container.
BAKED_INPUTS = [f"model_path={MODELS}/model.npz", f"legacy_model_path={MODELS}/legacy_model.pkl",
                f"model_public_key={ROOT}/profiles/mlsvs/files/model_signing.pub", f"train_path={MODELS}/train.npz",
                f"test_path={MODELS}/test.npz", f"recent_path={MODELS}/recent.csv",
                f"text_data_paths=[{MODELS}/tickets.jsonl]"]


def python_mounts() -> dict:
    """This Python, its venv and the checkout, read-only at the same paths (so they run inside)."""
    folders = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix), str(ROOT)}
    if any(f in ("/", "/usr", "/usr/local") for f in folders):
        pytest.skip(f"the local run inside the container needs a Python outside the system folders "
                    f"(this one is in {sys.base_prefix})")
    return {f: {"bind": f, "mode": "ro"} for f in folders}


def verdicts(report: dict) -> dict[str, list[tuple[str, str]]]:
    return {c["id"]: [(r["code_desc"], r["status"]) for r in c["results"]]
            for p in report["profiles"] for c in p["controls"]}


def local_inside(container, profile: Path, inputs: list[str]) -> tuple[int, dict]:
    """``inspecpy exec PROFILE`` with local:// inside *container*: (exit code, json report)."""
    args = [sys.executable, "-m", "inspecpy", "exec", str(profile), "--reporter", "json"]
    args += ["--input", *inputs] if inputs else []
    result = container.exec_run(args, environment={"PYTHONDONTWRITEBYTECODE": "1"}, demux=True)
    out, err = result.output
    assert out, (err or b"").decode()[-2000:]
    return result.exit_code, json.loads(out)


def through_docker(engine, container, profile: Path, inputs: list[str], *extra: str) -> tuple[int, dict, str]:
    """The same from outside with ``-t docker://NAME``: (exit code, json report, stderr)."""
    args = ["exec", profile, "-t", f"docker://{container.name}", "--reporter", "json", *extra]
    args += ["--input", *inputs] if inputs else []
    run = run_cli(*args, env=engine.env(), timeout=600)
    assert run.out, run.err
    return run.code, json.loads(run.out), run.err


@pytest.fixture(scope="module")
def debian_box(docker_engine, debian_image):
    box = docker_engine.run(debian_image.tag, ["sleep", "86400"], name="inspecpy-parity", volumes=python_mounts())
    yield box
    docker_engine.remove(box)


@pytest.mark.slow
@pytest.mark.parametrize("name", PROFILES)
def test_shipped_profile_same_verdicts_as_a_local_run_inside(name, docker_engine, debian_box):
    profile = ROOT / "profiles" / name
    local_code, local = local_inside(debian_box, profile, INPUTS.get(name, []))
    code, remote, err = through_docker(docker_engine, debian_box, profile, INPUTS.get(name, []))
    assert local["platform"]["name"] == remote["platform"]["name"] == "debian"
    assert verdicts(remote) == verdicts(local), err
    assert code == local_code
    assert sum(len(v) for v in verdicts(remote).values()) >= 5


@pytest.fixture(scope="module")
def model_image(docker_engine, debian_image):
    """The Debian image with the mlsvs demo model and data baked in at /srv/models (``docker commit``)."""
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w") as tar:
        for name in MODEL_FILES:
            tar.add(ROOT / "profiles" / "mlsvs" / "files" / name, arcname=f"models/{name}")
    builder = docker_engine.run(debian_image.tag, ["sleep", "600"])
    try:
        assert builder.put_archive("/srv", data.getvalue())
        builder.commit("inspecpy-debian-model", "test")
    finally:
        docker_engine.remove(builder)
    return "inspecpy-debian-model:test"


@pytest.mark.slow
def test_mlsvs_checks_a_model_baked_into_the_image(docker_engine, model_image, tmp_path):
    box = docker_engine.run(model_image, ["sleep", "3600"], name="inspecpy-model", volumes=python_mounts())
    try:
        profile = ROOT / "profiles" / "mlsvs"
        local_code, local = local_inside(box, profile, BAKED_INPUTS)
        code, remote, err = through_docker(docker_engine, box, profile, BAKED_INPUTS)
    finally:
        docker_engine.remove(box)
    assert verdicts(remote) == verdicts(local), err
    assert code == local_code
    descs = [d for results in verdicts(remote).values() for d, _ in results]
    assert any(f"{MODELS}/model.npz" in d for d in descs)  # it read the baked model, not the profile's
    # ... and judged it as this machine judges the profile's own copy of the same files
    host = tmp_path / "host.json"
    run_cli("exec", profile, "--reporter", f"json:{host}")
    statuses = {k: [s for _, s in v] for k, v in verdicts(remote).items()}
    assert statuses == {k: [s for _, s in v] for k, v in verdicts(json.loads(host.read_text())).items()}
    assert statuses["mlsvs-model-02"] == ["passed"] and statuses["mlsvs-model-03"] == ["passed", "passed"]


@pytest.mark.slow
def test_model_serving_checks_the_model_baked_into_the_image(docker_engine, model_image, mlserver, tmp_path):
    """The endpoint is asked over HTTP from here; the pinned model and data are read inside the container."""
    endpoint = [f"endpoint_url={mlserver.url}", "max_p99_seconds=30"]  # latency is not what is compared here
    baked = [f"pinned_model_path={MODELS}/model.npz", f"dataset_path={MODELS}/test.npz"]
    box = docker_engine.run(model_image, ["sleep", "3600"], name="inspecpy-served")
    try:
        profile = ROOT / "profiles" / "model-serving"
        code, remote, err = through_docker(docker_engine, box, profile, endpoint + baked)
    finally:
        docker_engine.remove(box)
    host = tmp_path / "host.json"
    local = run_cli("exec", profile, "--input", *endpoint, "--reporter", f"json:{host}", timeout=600)
    statuses = {k: [s for _, s in v] for k, v in verdicts(remote).items()}
    assert statuses == {k: [s for _, s in v] for k, v in verdicts(json.loads(host.read_text())).items()}, err
    assert code == local.code
    assert statuses["serving-07"] == ["passed"]  # the endpoint serves the predictions of the baked model,
    assert not Path(MODELS).exists()              # which only the container has


# ------------------------------------------------------------------ busybox: commands, files, --user
@pytest.fixture
def busybox_box(docker_container, busybox_image):
    return docker_container(busybox_image, ["sleep", "3600"])


def test_commands_and_files_in_a_busybox_container(docker_engine, busybox_box, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", docker_engine.url)
    with DockerTarget(f"docker://{busybox_box.name}") as target:
        assert target.platform.name == "busybox" and target.platform.release == "1.35.0"
        assert target.run("echo {}", "a; b").stdout == "a; b\n"
        result = target.run("echo out; echo err >&2; exit 3")
        assert (result.stdout, result.stderr, result.exit_status) == ("out\n", "err\n", 3)
        assert target.read("/etc/inspecpy-image") == BUSYBOX_FILES["/etc/inspecpy-image"]
        st = target.stat("/etc/login.defs")
        assert (st.type, st.mode, st.uid) == ("file", 0o600, 0)
        assert target.stat("/bin/sh").type == "symlink" and target.stat("/bin/sh").target_type == "file"
        assert not target.stat("/nope").exists
        assert "hello.txt" in target.listdir("/srv/data")


def test_podman_scheme_goes_through_a_docker_compatible_socket(docker_engine, busybox_box):
    """podman:// is docker:// on podman's socket (CONTAINER_HOST); this engine's socket stands in for it."""
    env = {**docker_engine.env(), "CONTAINER_HOST": docker_engine.url, "DOCKER_HOST": "unix:///nonexistent.sock"}
    run = run_cli("detect", "-t", f"podman://{busybox_box.name}", env=env)
    assert run.code == 0, run.err
    assert "Name:      busybox" in run.out and f"podman://{busybox_box.name}" in run.out


def test_user_option_runs_commands_as_that_user(docker_engine, busybox_box, make_profile):
    profile = make_profile(controls={"u.py": """
        from inspecpy import control, describe
        from inspecpy.resources import command, file

        @control("who")
        def _():
            describe(command("id -u")).its("stdout").should.eq("1000\\n")
            describe(file("/etc/login.defs")).its("content").should.match("PASS_MAX_DAYS")
    """})
    run = run_cli("exec", profile, "-t", f"docker://{busybox_box.id[:12]}", "--user", "app", "--reporter", "json",
                  env=docker_engine.env())
    results = [(r["status"], r.get("message", "")) for c in json.loads(run.out)["profiles"][0]["controls"]
               for r in c["results"]]
    assert results[0] == ("passed", "")
    assert results[1][0] == "failed" and "permission denied" in results[1][1].lower()  # 0600 root: not for app


def test_a_timed_out_command_is_killed_without_pgrep_or_ps(docker_engine, debian_box, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", docker_engine.url)
    from inspecpy.errors import CommandTimeout

    with DockerTarget(f"docker://{debian_box.name}", TargetOptions(command_timeout=1)) as target:
        assert target.run("command -v pgrep ps || echo none").stdout == "none\n"  # Debian minbase
        with pytest.raises(CommandTimeout):
            target.run("sleep 47; echo late")
        left = target.run("for p in /proc/[0-9]*; do tr '\\0' ' ' <$p/cmdline; echo; done").stdout
        assert "sleep 47" not in left.replace("tr ", "")
        assert target.run("echo {}", "still here").stdout == "still here\n"


def test_the_per_command_fallback_gives_the_same_answers(docker_engine, busybox_box):
    from inspecpy.targets.docker.exec_pipes import ExecPerCommand, start_shell

    api = docker_engine.client().api
    framed, single = start_shell(api, busybox_box.id, None), ExecPerCommand(api, busybox_box.id, None)
    try:
        for command in ("echo out; echo err >&2; exit 5", "head -c 300 /bin/busybox", "cat; echo $?"):
            assert single.run_bytes(command, 30) == framed.run_bytes(command, 30)
    finally:
        framed.close()


# ------------------------------------------------------------------ distroless: no shell
NOSHELL_PROFILE = f"""
from inspecpy import control, describe
from inspecpy.resources import command, file, model

@control("files")
def _():
    describe(file({ODD_NAME!r})).its("content").should.eq("a file with an odd name\\n")
    describe(file("/app/model.bin")).its("owner").should.eq("nonroot")
    describe(file("/app/model.bin")).its("mode").should.cmp("0640")
    describe(file("/app/model.bin")).its("sha256sum").should.eq({__import__("hashlib").sha256(
        NOSHELL_FILES["/app/model.bin"]).hexdigest()!r})
    describe(file("/app")).should.be_directory()

@control("commands")
def _():
    describe(command("id")).its("exit_status").should.eq(0)
"""


def test_a_container_without_a_shell_checks_files_and_says_why_commands_fail(docker_engine, docker_container,
                                                                            noshell_image, tmp_path):
    box = docker_container(noshell_image)
    profile = write_profile(tmp_path, "distroless", {"c.py": NOSHELL_PROFILE})
    run = run_cli("exec", profile, "-t", f"docker://{box.name}", "--reporter", "json", env=docker_engine.env())
    report = json.loads(run.out)
    assert report["platform"]["name"] == "debian"  # from its /etc/os-release, with no shell to ask
    controls = {c["id"]: c["results"] for c in report["profiles"][0]["controls"]}
    assert [r["status"] for r in controls["files"]] == ["passed"] * 5, controls["files"]
    (error,) = controls["commands"]
    assert error["status"] == "failed" and "no shell in the container" in error["message"]
    assert "/bin/sh" in error["message"] and run.code == 100


def test_binary_and_odd_names_stream_back_intact(docker_engine, docker_container, noshell_image, busybox_image,
                                                 monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", docker_engine.url)
    binary = NOSHELL_FILES["/app/model.bin"]
    distroless = docker_container(noshell_image)
    with DockerTarget(f"docker://{distroless.name}") as target:  # through the archive API
        assert target.read("/app/model.bin") == binary
        with target.open("/app/model.bin") as stream:  # seekable, as zip readers need
            stream.seek(-7, io.SEEK_END)
            assert stream.read() == binary[-7:]
        st = target.stat("/app/model.bin")
        assert (st.uid, st.gid, st.mode, st.size) == (*NOSHELL_OWNERS["/app/model.bin"], 0o640, len(binary))
        assert target.read(ODD_NAME) == NOSHELL_FILES[ODD_NAME]
        assert os.path.basename(ODD_NAME) in target.listdir(os.path.dirname(ODD_NAME))
    shelled = docker_container(busybox_image, ["sleep", "600"])
    shelled.put_archive("/srv", _tar({os.path.basename(ODD_NAME): binary}))
    with DockerTarget(f"docker://{shelled.name}") as target:  # through the shell
        odd = f"/srv/{os.path.basename(ODD_NAME)}"
        assert target.read(odd) == binary and target.stat(odd).size == len(binary)
        assert os.path.basename(ODD_NAME) in target.listdir("/srv")
