"""Baseline figures (issue 7): the shipped linux-baseline and ssh-baseline, locally and over SSH.

    python bench/baseline.py          # root, for the SSH half: starts its own loopback sshd

Prints the median wall clock of ``inspecpy exec profiles/linux-baseline``
(start-up included, reports to /dev/null) on the local target (goal ≤ 2 s)
and over SSH to a loopback sshd with ``--sudo`` (goal ≤ 3 s), and the same
for ssh-baseline. Asserts nothing.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.integration.sshd import SshServer, ensure_test_users, why_not_available  # noqa: E402

GOALS = {"local": 2.0, "ssh": 3.0}


def timed(args: list[str], repeat: int = 5) -> tuple[float, int]:
    """Median seconds of *repeat* runs (after a warm-up) and the exit code."""
    code = subprocess.run(args, capture_output=True, cwd=ROOT).returncode
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(args, capture_output=True, cwd=ROOT)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), code


def exec_args(profile: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "inspecpy", "exec", f"profiles/{profile}", "--reporter", "cli:/dev/null", *extra]


def report(profile: str, where: str, args: list[str]) -> None:
    seconds, code = timed(args)
    print(f"{profile:15} {where:6} {seconds:6.3f} s   exit {code}   (goal <= {GOALS[where]:g} s)")


def main() -> None:
    for profile in ("linux-baseline", "ssh-baseline"):
        report(profile, "local", exec_args(profile))
    reason = why_not_available()
    if reason:
        print(f"over SSH: not measured ({reason})")
        return
    with tempfile.TemporaryDirectory() as tmp:
        users = ensure_test_users(Path(tmp) / "users")
        with SshServer.start_new(Path(tmp) / "sshd", users) as server:
            for profile in ("linux-baseline", "ssh-baseline"):
                report(profile, "ssh", exec_args(profile, *server.args("--sudo")))


if __name__ == "__main__":
    main()
