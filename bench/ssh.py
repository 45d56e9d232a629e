"""SSH figures (issue 3): one connection per target, fast whatever the rc files cost.

    sudo python bench/ssh.py          # root: starts its own sshd and test users
    sudo python bench/ssh.py --no-testinfra   # only inspecpy's figures (testinfra takes ~90 s)

Prints, against a loopback OpenSSH server whose test user's ``~/.bashrc``
costs 0.17 s (as a pyenv init does):

1. 200 checks (100 ``file`` exist, 100 ``command`` stdout) over one
   connection: ``inspecpy exec`` (wall clock of the whole command, start-up
   included) vs pytest-testinfra's ``paramiko://`` backend (and its
   ``ssh://`` backend with ControlMaster multiplexing, when ``ssh`` exists);
2. 50 targets (127.0.0.1 … 127.0.0.50, on 4 sshd processes) × 100 checks with
   ``--jobs 16`` vs one target;

with the number of logins each run made, counted in the sshd log. Goals:
(1) ≤ 2 s; (2) ≤ 4× one target. Asserts nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.integration.sshd import BENCH_USER, SshServer, ensure_test_users, why_not_available  # noqa: E402

FILES = Path("/tmp/inspecpy-bench-files")


def check_files(count: int) -> list[str]:
    """*count* distinct world-readable files, so no file probe is a cache hit."""
    FILES.mkdir(exist_ok=True)
    os.chmod(FILES, 0o755)
    paths = []
    for i in range(count):
        path = FILES / f"f{i:03d}"
        path.write_text(f"{i}\n")
        os.chmod(path, 0o644)
        paths.append(str(path))
    return paths


def profile(folder: Path, files: int, commands: int) -> Path:
    """A profile of *files* file checks and *commands* command checks, 10 per control."""
    (folder / "controls").mkdir(parents=True)
    (folder / "inspec.yml").write_text(f"name: bench-{files}-{commands}\n")
    lines = ["from inspecpy import control, describe", "from inspecpy.resources import command, file", ""]
    checks = [f"describe(file({p!r})).should.exist()" for p in check_files(files)]
    checks += [f"describe(command('echo {i}')).its('stdout').should.eq('{i}\\n')" for i in range(commands)]
    for start in range(0, len(checks), 10):
        lines += [f"@control('bench-{start}')", "def _():", *(f"    {c}" for c in checks[start:start + 10]), ""]
    (folder / "controls" / "bench.py").write_text("\n".join(lines))
    return folder


def logins(servers: list[SshServer]) -> int:
    return sum(server.connections() for server in servers)


def inspecpy_exec(servers: list[SshServer], known_hosts: Path, prof: Path, targets: list[str],
                  jobs: int | None = None) -> tuple[float, int, int]:
    """(seconds, exit code, logins) of one ``inspecpy exec`` against *targets* (URIs)."""
    args = [sys.executable, "-m", "inspecpy", "exec", str(prof), "-i", str(servers[0].key),
            "--known-hosts", str(known_hosts), "--reporter", "cli:/dev/null"]
    for uri in targets:
        args += ["-t", uri]
    if jobs:
        args += ["--jobs", str(jobs)]
    before = logins(servers)
    started = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 100, 101):
        print(proc.stderr, file=sys.stderr)
    return seconds, proc.returncode, logins(servers) - before


def testinfra_run(uri: str, files: list[str], commands: int, **kwargs) -> float:
    """Seconds for testinfra to do the same checks (connection included)."""
    import testinfra

    started = time.perf_counter()
    host = testinfra.get_host(uri, **kwargs)
    for path in files:
        assert host.file(path).exists
    for i in range(commands):
        assert host.run(f"echo {i}").stdout.strip() == str(i)
    return time.perf_counter() - started


def ssh_config(folder: Path, server: SshServer) -> Path:
    config = folder / "ssh_config"
    config.write_text(f"Host *\n  UserKnownHostsFile {server.known_hosts}\n  ControlMaster auto\n"
                      f"  ControlPath {folder}/cm-%r@%h:%p\n  ControlPersist 60\n")
    return config


@contextmanager
def fifty_hosts(tmp: Path) -> Iterator[tuple[list[SshServer], list[str], Path]]:
    """127.0.0.1 … 127.0.0.50 on 4 sshd processes: (servers, URIs as the bench user, known_hosts file).

    Every server started is stopped on leaving, also when a later one fails to start."""
    users = ensure_test_users(tmp / "users")
    hosts = [f"127.0.0.{i}" for i in range(1, 51)]
    servers: list[SshServer] = []
    try:
        for k in range(0, len(hosts), 13):  # sshd listens on at most 16 addresses
            servers.append(SshServer.start_new(tmp / f"sshd{k}", users, hosts=tuple(hosts[k:k + 13])))
        known_hosts = tmp / "known_hosts"
        known_hosts.write_text("".join(s.known_hosts_line() + "\n" for s in servers))
        yield servers, [s.uri(BENCH_USER, h) for s in servers for h in s.hosts], known_hosts
    finally:
        for server in servers:
            server.stop()


def main() -> None:
    with_testinfra = "--no-testinfra" not in sys.argv
    reason = why_not_available()
    if reason:
        sys.exit(f"bench/ssh.py: {reason}")
    with tempfile.TemporaryDirectory(prefix="inspecpy-bench-") as tmp:
        tmp = Path(tmp)
        with fifty_hosts(tmp) as (servers, uris, known_hosts):
            first = servers[0]
            print(f"loopback sshd, user {BENCH_USER} (~/.bashrc costs 0.17 s), {os.cpu_count()} CPUs\n")
            p200 = profile(tmp / "p200", 100, 100)
            inspecpy_exec(servers, known_hosts, p200, uris[:1])  # warm-up (imports, page cache)
            seconds, code, count = inspecpy_exec(servers, known_hosts, p200, uris[:1])
            print(f"200 checks, inspecpy exec (whole command)      {seconds:6.2f} s  {count} connection(s)  "
                  f"exit {code}   goal <= 2 s")
            files = check_files(100)
            if with_testinfra:
                before = logins(servers)
                seconds = testinfra_run(f"paramiko://{BENCH_USER}@{first.host}:{first.port}", files, 100,
                                        ssh_identity_file=str(first.key))
                print(f"200 checks, testinfra paramiko://              {seconds:6.2f} s  "
                      f"{logins(servers) - before} connection(s)")
            if shutil.which("ssh") and with_testinfra:
                before = logins(servers)
                seconds = testinfra_run(f"ssh://{BENCH_USER}@{first.host}:{first.port}", files, 100,
                                        ssh_identity_file=str(first.key), ssh_config=str(ssh_config(tmp, first)))
                print(f"200 checks, testinfra ssh:// + ControlMaster   {seconds:6.2f} s  "
                      f"{logins(servers) - before} connection(s)")
            p100 = profile(tmp / "p100", 50, 50)
            one, _, count = inspecpy_exec(servers, known_hosts, p100, uris[:1])
            print(f"\n100 checks x 1 target                          {one:6.2f} s  {count} connection(s)")
            many, code, count = inspecpy_exec(servers, known_hosts, p100, uris, jobs=16)
            print(f"100 checks x {len(uris)} targets, --jobs 16             {many:6.2f} s  {count} connection(s)  "
                  f"exit {code}   {many / one:.1f}x one target (goal <= 4x)")

if __name__ == "__main__":
    main()
