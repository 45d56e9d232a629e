"""Fleet figures (issue 16): the client side of a big fleet, and what Dask adds per target.

    sudo python bench/fleet.py               # root: starts its own sshd processes, test users, Dask cluster
    sudo python bench/fleet.py --only ssh    # only figure 1 (or: dask, baseline)

Prints:

1. 50 SSH targets (127.0.0.1 … 127.0.0.50 on 4 loopback sshd processes, user
   ``inspecpy-bench`` whose ``~/.bashrc`` costs 0.17 s) × 100 checks with
   ``--jobs 16`` against one target: wall clock of the whole ``inspecpy exec``
   and the client's CPU seconds (goal: ≤ 4× one target), once as is and once
   with the client pinned to CPU 0 and every sshd to CPU 1 (``taskset``), so
   the client's own cost shows without the servers competing for its core;
2. the overhead per target of ``--cluster dask://`` (a ``dask scheduler`` and
   one ``dask worker`` process on loopback) against threads: N ``local://``
   targets × 10 checks, one at a time on both sides (``--jobs 1``; one worker
   thread), for two N: the difference of the slopes is what the Dask path
   costs per target, whatever it costs once (goal: ≤ 20 ms); both sides and
   both sizes back to back in each round, the median over the rounds;
3. the 50-target SSH fleet on that cluster (2 workers × 8 threads) beside
   ``--jobs 16`` on threads;
4. what one host costs with ``profiles/linux-baseline`` over SSH, the input
   of the 10,000-host estimate in ``docs/scale.md``: the client's CPU and
   the wall clock per host (hosts one after another, in this process), the
   size of its result as a Dask worker sends it back (pickled), and the bytes
   and render time of its json and cli reports.

Each figure is the median of ``--rounds`` runs (default 3). Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ssh import fifty_hosts, profile  # noqa: E402  (bench/ssh.py: the same hosts and 100-check profile)

from tests.integration.sshd import BENCH_USER, SshServer, why_not_available  # noqa: E402


def run(args: list[str], pin: str | None = None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the client, exit code) of ``inspecpy ARGS``."""
    command = [sys.executable, "-m", "inspecpy", *map(str, args)]
    if pin is not None:
        command = ["taskset", "-c", pin, *command]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 100, 101):
        print(proc.stderr[-2000:], file=sys.stderr)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.returncode


def median_run(rounds: int, args: list[str], pin: str | None = None) -> tuple[float, float, int]:
    runs = [run(args, pin) for _ in range(rounds)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), runs[-1][2]


def pin_servers(servers: list[SshServer], cpu: str) -> None:
    """Pin each sshd listener (and so every session it forks from now on) to *cpu*."""
    for server in servers:
        subprocess.run(["taskset", "-a", "-p", "-c", cpu, str(server.pid)], check=True, capture_output=True)


def exec_args(prof: Path, uris: list[str], *extra: str, key: Path | None = None,
              known_hosts: Path | None = None) -> list[str]:
    args = ["exec", prof, "--reporter", "cli:/dev/null", *extra]
    if key:
        args += ["-i", key, "--known-hosts", known_hosts]
    for uri in uris:
        args += ["-t", uri]
    return args


def print_ssh_figures(servers, uris, known_hosts, prof, rounds: int) -> None:
    key = servers[0].key
    ssh = dict(key=key, known_hosts=known_hosts)
    run(exec_args(prof, uris[:1], **ssh))  # warm-up: imports, page cache
    print(f"{'':44}{'wall':>8}{'client CPU':>12}")
    for label, pin in (("as is", None), ("client on CPU 0, sshd on CPU 1", "0")):
        if pin is not None:
            pin_servers(servers, "1")
        one_wall, one_cpu, _ = median_run(rounds, exec_args(prof, uris[:1], **ssh), pin)
        many_wall, many_cpu, code = median_run(rounds, exec_args(prof, uris, "--jobs", "16", **ssh), pin)
        print(f"{label}:")
        print(f"  100 checks x 1 target                     {one_wall:7.2f} s {one_cpu:9.2f} s")
        print(f"  100 checks x {len(uris)} targets, --jobs 16        {many_wall:7.2f} s {many_cpu:9.2f} s   "
              f"exit {code}  {many_wall / one_wall:.1f}x one target (goal <= 4x), "
              f"{(many_cpu - one_cpu) / (len(uris) - 1) * 1000:.0f} ms client CPU per extra target")


def small_profile(folder: Path) -> Path:
    (folder / "controls").mkdir(parents=True)
    (folder / "inspec.yml").write_text("name: bench-small\n")
    lines = ["from inspecpy import control, describe", "from inspecpy.resources import command, file", "",
             "@control('small')", "def _():"]
    lines += [f"    describe(file('/etc/passwd')).its('mode').should.be_at_most({0o777})" for _ in range(5)]
    lines += [f"    describe(command('echo {i}')).its('exit_status').should.eq(0)" for i in range(5)]
    (folder / "controls" / "small.py").write_text("\n".join(lines) + "\n")
    return folder


def print_dask_figures(tmp: Path, servers, uris, known_hosts, prof, rounds: int) -> None:
    from tests.servers.dask_cluster import DaskCluster

    small = small_profile(tmp / "small")
    sizes = (40, 200)
    slopes: dict[str, list[float]] = {"threads": [], "dask": []}
    fixed: dict[str, list[float]] = {"threads": [], "dask": []}
    client: list[float] = []
    with DaskCluster.start_new(tmp / "dask1", workers=1, nthreads=1) as cluster:
        sides = {"threads": ("--jobs", "1"), "dask": ("--cluster", cluster.uri)}
        for _ in range(rounds):  # each round measures both sides at both sizes, back to back: the
            for side, extra in sides.items():  # machine's load drifts less within a round than across
                (small_wall, small_cpu, _), (big_wall, big_cpu, _) = (
                    run(exec_args(small, ["local://"] * n, *extra)) for n in sizes)
                slopes[side].append((big_wall - small_wall) / (sizes[1] - sizes[0]))
                fixed[side].append(small_wall - slopes[side][-1] * sizes[0])
                if side == "dask":
                    client.append((big_cpu - small_cpu) / (sizes[1] - sizes[0]))
    slope = {side: statistics.median(values) for side, values in slopes.items()}
    overhead = statistics.median(d - t for d, t in zip(slopes["dask"], slopes["threads"]))
    print(f"\n10 checks x N local:// targets (N = {sizes[0]} and {sizes[1]}), one at a time, median of {rounds} rounds:")
    print(f"  threads (--jobs 1)                   {slope['threads'] * 1000:6.1f} ms a target, "
          f"{statistics.median(fixed['threads']):.2f} s once")
    print(f"  --cluster dask:// (1 worker, 1 thread) {slope['dask'] * 1000:4.1f} ms a target, "
          f"{statistics.median(fixed['dask']):.2f} s once")
    print(f"  Dask overhead per target: {overhead * 1000:.1f} ms (goal <= 20 ms); per round: "
          f"{', '.join(f'{(d - t) * 1000:.1f}' for d, t in zip(slopes['dask'], slopes['threads']))} ms")
    print(f"  client CPU per target on the Dask path (the worker runs the checks): "
          f"{statistics.median(client) * 1000:.1f} ms")
    with DaskCluster.start_new(tmp / "dask2", workers=2, nthreads=8) as cluster:
        ssh = dict(key=servers[0].key, known_hosts=known_hosts)
        threads = median_run(rounds, exec_args(prof, uris, "--jobs", "16", **ssh))
        dask = median_run(rounds, exec_args(prof, uris, "--cluster", cluster.uri, **ssh))
    print(f"\n100 checks x {len(uris)} SSH targets")
    print(f"  threads, --jobs 16                        {threads[0]:7.2f} s  client CPU {threads[1]:5.2f} s")
    print(f"  --cluster dask:// (2 workers x 8 threads) {dask[0]:7.2f} s  client CPU {dask[1]:5.2f} s")


def print_baseline_figures(servers, uris, known_hosts, hosts: int = 5) -> None:
    import pickle

    from inspecpy.plugins import registry
    from inspecpy.profile.loader import load_profile
    from inspecpy.reporter import ReporterOptions
    from inspecpy.run.fleet import run_one
    from inspecpy.run.runner import Selection
    from inspecpy.targets.base import TargetOptions

    baseline = load_profile(str(ROOT / "profiles" / "linux-baseline"))
    options = TargetOptions(key_files=[str(servers[0].key)], known_hosts=str(known_hosts))
    run_one(uris[-1], [baseline], options, Selection())  # warm-up: imports, the server's page cache
    cpu, wall = time.process_time(), time.perf_counter()
    runs = [run_one(uri, [baseline], options, Selection()) for uri in uris[:hosts]]
    cpu, wall = (time.process_time() - cpu) / hosts, (time.perf_counter() - wall) / hosts
    assert not any(r.error for r in runs), [r.error for r in runs]
    checks = sum(len(c.results) for p in runs[0].profiles for c in p.controls)
    pickled = statistics.mean(len(pickle.dumps(r)) for r in runs)
    import tracemalloc

    tracemalloc.start()
    held = [pickle.loads(pickle.dumps(r)) for r in runs]  # as the client holds them until the reports
    in_memory = tracemalloc.get_traced_memory()[0] / len(held)
    tracemalloc.stop()
    print(f"\nprofiles/linux-baseline over SSH ({checks} results a host), per host, {hosts} hosts one after another:")
    print(f"  client CPU {cpu * 1000:.0f} ms, wall {wall:.2f} s, result pickled {pickled / 1024:.0f} KiB, "
          f"held in memory {in_memory / 1024:.0f} KiB")
    for name in ("json", "cli"):
        reporter = registry().reporter(name)(ReporterOptions())
        started = time.process_time()
        data = reporter.render(runs)
        print(f"  {name} report: {len(data) / hosts / 1024:.0f} KiB, rendered in "
              f"{(time.process_time() - started) / hosts * 1000:.0f} ms CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=("ssh", "dask", "baseline"), help="only figures 1, 2-3 or 4")
    options = parser.parse_args()
    reason = why_not_available()
    if reason:
        sys.exit(f"bench/fleet.py: {reason}")
    with tempfile.TemporaryDirectory(prefix="inspecpy-bench-fleet-") as tmp:
        tmp = Path(tmp)
        with fifty_hosts(tmp) as (servers, uris, known_hosts):
            prof = profile(tmp / "p100", 50, 50)
            print(f"loopback sshd, user {BENCH_USER} (~/.bashrc costs 0.17 s), {os.cpu_count()} CPUs, "
                  f"load average {os.getloadavg()[0]:.1f}, median of {options.rounds}\n")
            if options.only in (None, "ssh"):
                print_ssh_figures(servers, uris, known_hosts, prof, options.rounds)
            if options.only in (None, "dask"):
                print_dask_figures(tmp, servers, uris, known_hosts, prof, options.rounds)
            if options.only in (None, "baseline"):
                print_baseline_figures(servers, uris, known_hosts)


if __name__ == "__main__":
    main()
