"""A fleet on a real Dask cluster (``dask scheduler`` + two ``dask worker`` processes on loopback) against
real sshd targets: the same reports as the same fleet on this machine's threads, also when a worker
is killed mid-run; secrets never in the task graph."""

from __future__ import annotations

import json
import pickle
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest

from inspecpy.hookspecs import hookimpl
from tests.conftest import ROOT, error_line, run_cli, write_profile
from tests.integration.sshd import SshServer, free_port

pytestmark = pytest.mark.integration

FLEET = """
from inspecpy import control, describe
from inspecpy.resources import command, file

@control("fleet-commands", impact=0.7, title="Commands answer")
def _():
    describe(command("sleep 1.5; echo up")).its("stdout").should.eq("up\\n")
    describe(command("id -un")).its("stdout").should.match("^inspecpy-ssh$")

@control("fleet-files", title="Files are there")
def _():
    describe(file("/etc/passwd")).should.exist()
    describe(file("/etc/inspecpy-not-there")).should.exist()
"""
TIMING = {"run_time", "start_time", "duration"}


class Fleet:
    """Three sshd processes on two loopback addresses each: six SSH targets, and one that is unreachable."""

    def __init__(self, workdir: Path, users):
        with ExitStack() as started:  # a server that fails to start stops the ones started before it
            self.servers = [started.enter_context(SshServer.start_new(
                workdir / f"sshd{i}", users, hosts=(f"127.0.0.{2 * i + 2}", f"127.0.0.{2 * i + 3}")))
                for i in range(3)]
            self.known_hosts = workdir / "known_hosts"
            self.known_hosts.write_text("".join(s.known_hosts_line() + "\n" for s in self.servers))
            self._stack = started.pop_all()
        self.uris = [s.uri(host=h) for s in self.servers for h in s.hosts]
        self.dead = f"ssh://{users.user}@127.0.0.1:{free_port()}"   # nothing listens there
        self.key = users.key

    def args(self, profile: Path, reports: Path) -> list[str]:
        args = ["exec", profile, "-i", self.key, "--known-hosts", self.known_hosts, "--connect-timeout", "5",
                "--reporter", "cli", f"json:{reports}/{{target}}.json", "--no-color"]
        for uri in [*self.uris, self.dead]:
            args += ["-t", uri]
        return args

    def logins(self) -> int:
        return sum(s.connections() for s in self.servers)

    def stop(self) -> None:
        self._stack.close()


@pytest.fixture(scope="module")
def fleet(ssh_users, tmp_path_factory):
    made = Fleet(tmp_path_factory.mktemp("fleet"), ssh_users)
    yield made
    made.stop()


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    return write_profile(tmp_path_factory.mktemp("fleet-profile"), "fleet", {"fleet.py": FLEET})


def without_timing(value):
    if isinstance(value, dict):
        return {k: without_timing(v) for k, v in value.items() if k not in TIMING}
    if isinstance(value, list):
        return [without_timing(v) for v in value]
    return value


def reports(folder: Path) -> dict[str, dict]:
    return {path.name: without_timing(json.loads(path.read_text())) for path in sorted(folder.glob("*.json"))}


def summary(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(("Fleet Summary", "Profile Summary", "Test Summary"))]


@pytest.fixture(scope="module")
def on_threads(fleet, profile, tmp_path_factory):
    """The single-machine run everything else is compared with."""
    folder = tmp_path_factory.mktemp("threads")
    run = run_cli(*fleet.args(profile, folder), "--jobs", "4", timeout=300)
    assert run.code == 1, run.err  # a failed check, and an unreachable target
    assert len(list(folder.glob("*.json"))) == len(fleet.uris) + 1
    return run, reports(folder)


def test_a_cluster_gives_the_reports_of_a_run_on_threads(fleet, profile, on_threads, dask_cluster_session,
                                                         tmp_path):
    # the shared cluster (2 workers x 1 thread): this test kills nothing, and reports are compared without timing
    run = run_cli(*fleet.args(profile, tmp_path), "--cluster", dask_cluster_session.uri, timeout=300)
    threads_run, threads_reports = on_threads
    assert run.code == threads_run.code == 1
    assert reports(tmp_path) == threads_reports
    assert summary(run.out) == summary(threads_run.out)
    assert "Fleet Summary: 7 targets: 0 passed, 6 failed, 1 unreachable" in run.out
    assert run.err.count("inspecpy: error: ") == 1 and fleet.dead in run.err  # the unreachable one, as on threads


def test_a_worker_killed_mid_run_loses_nothing_and_counts_nothing_twice(fleet, profile, on_threads, dask_cluster,
                                                                       tmp_path):
    cluster = dask_cluster(workers=2, nthreads=1)
    before = fleet.logins()
    args = [sys.executable, "-m", "inspecpy", *map(str, fleet.args(profile, tmp_path)), "--cluster", cluster.uri]
    client = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while fleet.logins() - before < 2:  # both workers are inside a target (each takes > 1.5 s)
            assert time.monotonic() < deadline and client.poll() is None, "the fleet did not start"
            time.sleep(0.05)
        cluster.kill_worker(0, signal.SIGKILL)
        out, err = client.communicate(timeout=300)
    finally:
        if client.poll() is None:
            client.kill()
    threads_run, threads_reports = on_threads
    assert client.returncode == threads_run.code, err
    assert reports(tmp_path) == threads_reports
    assert summary(out) == summary(threads_run.out)
    assert fleet.logins() - before > len(fleet.uris)  # the killed worker's target was run again elsewhere


def test_secrets_go_to_the_workers_directly_never_into_the_task_graph(sshd, make_profile, monkeypatch, tmp_path):
    """``local:N`` (TLS between its processes): the password and a sensitive input reach the workers (the
    login works, the input is used) but appear in nothing the scheduler is sent to run."""
    import distributed

    from inspecpy.api import execute
    from inspecpy.targets.base import TargetOptions

    profile = make_profile(metadata="name: secret\ninputs:\n  - name: token\n    sensitive: true\n", controls={
        "c.py": """
        from inspecpy import control, describe, input
        from inspecpy.resources import command

        @control("uses-token")
        def _():
            describe(command("echo " + input("token"))).its("stdout").should.eq("tok-3141592\\n")
        """})
    sent: list[bytes] = []
    for name in ("submit", "scatter"):
        original = getattr(distributed.Client, name)

        def spy(self, *args, _original=original, _name=name, **kwargs):
            if not kwargs.get("direct"):  # what goes through the scheduler
                sent.append(pickle.dumps((args, kwargs.get("key"))))
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(distributed.Client, name, spy)
    options = TargetOptions(password=sshd.password, known_hosts=str(sshd.known_hosts), connect_timeout=10)
    outcome = execute([str(profile)], [sshd.uri()], options=options, inputs={"token": "tok-3141592"},
                      reporters=[f"json:{tmp_path / 'r.json'}"], cluster="local:1")
    results = [r["status"] for c in json.loads((tmp_path / "r.json").read_text())["profiles"][0]["controls"]
               for r in c["results"]]
    assert results == ["passed"] and outcome.exit_code == 0
    assert sent and not any(sshd.password.encode() in blob or b"tok-3141592" in blob for blob in sent)


def test_a_worker_with_another_inspecpy_version_is_one_error(dask_cluster, make_profile, tmp_path):
    cluster = dask_cluster(workers=1)
    patched = tmp_path / "other-version"
    patched.mkdir()
    (patched / "sitecustomize.py").write_text("import inspecpy.version\ninspecpy.version.__version__ = '9.9.9'\n")
    plain_env = cluster._env
    cluster._env = lambda: {**plain_env(), "PYTHONPATH": f"{patched}:{plain_env()['PYTHONPATH']}"}
    cluster.add_worker()
    profile = make_profile(controls={"c.py": "from inspecpy import control\n@control('x')\ndef _(): pass\n"})
    run = run_cli("exec", profile, "--cluster", cluster.uri)
    assert run.code == 1
    line = error_line(run)
    assert line.startswith("inspecpy: error: Dask workers must run the same inspecpy version as this client "
                           "(0.") and line.endswith(" runs 9.9.9")


def test_a_tls_cluster_takes_the_password_and_refuses_a_stranger(sshd, dask_cluster, profile,
                                                                                      tmp_path):
    from tests.servers.nginx_tls import make_ca

    ca = make_ca(tmp_path / "ca", client_auth=True)
    cluster = dask_cluster(workers=1, tls=ca)
    login = ["-t", sshd.uri(), "--password", sshd.password, "--known-hosts", sshd.known_hosts]
    run = run_cli("exec", profile, *login, "--cluster", cluster.uri, "--cluster-ca", ca.ca_file,
                  "--cluster-cert", ca.cert_file, "--cluster-key", ca.key_file, "--reporter", "json")
    assert run.code == 100, run.err  # logged in with the password: one check fails on purpose
    statuses = [r["status"] for c in json.loads(run.out)["profiles"][0]["controls"] for r in c["results"]]
    assert statuses == ["passed", "passed", "passed", "failed"]
    other = make_ca(tmp_path / "other", client_auth=True)  # a certificate the cluster's CA did not sign
    stranger = run_cli("exec", profile, *login, "--cluster", cluster.uri, "--cluster-ca", other.ca_file,
                       "--cluster-cert", other.cert_file, "--cluster-key", other.key_file, "--connect-timeout", "3")
    assert stranger.code == 1 and stranger.err.startswith(f"inspecpy: error: cannot reach the Dask scheduler at "
                                                          f"{cluster.address}: ")
    assert stranger.err.count("\n") == 1 and "Traceback" not in stranger.err


class Heard:
    """A listener on the run hooks, as the progress reporter is."""

    def __init__(self):
        self.events: list[tuple] = []

    @hookimpl
    def inspecpy_run_start(self, target, total_controls):
        self.events.append(("start", target, total_controls))

    @hookimpl
    def inspecpy_control_done(self, target, control):
        self.events.append(("done", target, control.id))


def test_the_run_hooks_hear_each_target_as_on_threads(fleet, profile, dask_cluster_session):
    from inspecpy.profile.loader import load_profile
    from inspecpy.run.dask_fleet import DaskCluster
    from inspecpy.run.fleet import run_fleet
    from inspecpy.run.runner import Selection
    from inspecpy.targets.base import TargetOptions

    loaded = [load_profile(str(profile))]
    options = TargetOptions(key_files=[str(fleet.key)], known_hosts=str(fleet.known_hosts), connect_timeout=5)
    heard = {"threads": Heard(), "dask": Heard()}
    for side, cluster in (("threads", None), ("dask", DaskCluster(dask_cluster_session.uri))):
        runs = run_fleet(loaded, fleet.uris, options, Selection(), jobs=4, listeners=[heard[side]], cluster=cluster)
        assert [r.target for r in runs] == fleet.uris and not any(r.error for r in runs)
    events = heard["dask"].events
    assert sorted(events) == sorted(heard["threads"].events)
    for uri in fleet.uris:  # each target: its start, then its two controls, once
        mine = [e for e in events if e[1] == uri]
        assert mine == [("start", uri, 2), ("done", uri, "fleet-commands"), ("done", uri, "fleet-files")]
