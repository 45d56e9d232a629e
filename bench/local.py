"""Local checks per second: inspecpy's local target vs pytest-testinfra's local backend (issue 10).

    python bench/local.py [N]      # N file checks + N command checks (default 100 + 100)

Both sides do the same checks in one process, with nothing cached between
rounds: ``file(p)`` mode/owner and ``command(c)`` exit status and stdout.
testinfra starts ``/bin/sh -c`` per command (and ``stat`` per file); inspecpy
reads files with the OS API and runs commands in one persistent framed shell.
Prints the median of 5 rounds for each, side by side — wall-clock seconds,
and CPU seconds (this process and its children: steadier on a busy
machine). Asserts nothing.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FILES = ["/etc/passwd", "/etc/group", "/etc/hostname", "/etc/hosts", "/etc/os-release"]


def cpu() -> float:
    """CPU seconds used so far by this process and its (reaped) children."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def inspecpy_round(n: int) -> tuple[float, float]:
    from inspecpy.dsl import describe
    from inspecpy.resources import command, file
    from inspecpy.targets import on_target
    from inspecpy.targets.local import LocalTarget

    started, used = time.perf_counter(), cpu()
    with LocalTarget("local://") as target, on_target(target):
        for i in range(n):
            describe(file(FILES[i % len(FILES)])).its("mode").should.be_at_most(0o777)
        for i in range(n):
            describe(command(f"echo {i}")).its("exit_status").should.eq(0)
    return time.perf_counter() - started, cpu() - used


def testinfra_round(n: int) -> tuple[float, float]:
    import testinfra

    started, used = time.perf_counter(), cpu()
    host = testinfra.get_host("local://")
    for i in range(n):
        assert host.file(FILES[i % len(FILES)]).mode <= 0o777
    for i in range(n):
        assert host.run(f"echo {i}").rc == 0
    return time.perf_counter() - started, cpu() - used


def median(round_, n: int, repeat: int = 5) -> tuple[float, float]:
    round_(n)  # warm-up: imports, the shell's start
    samples = [round_(n) for _ in range(repeat)]
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    ours = median(inspecpy_round, n)
    print(f"{2 * n} local checks ({n} files, {n} commands); load average {os.getloadavg()[0]:.1f}")
    print(f"  inspecpy local://              {ours[0]:6.3f} s wall  {ours[1]:6.3f} s CPU")
    try:
        theirs = median(testinfra_round, n)
    except ImportError:
        print("  pytest-testinfra local://      not installed (pip install pytest-testinfra)")
        return
    print(f"  pytest-testinfra local://      {theirs[0]:6.3f} s wall  {theirs[1]:6.3f} s CPU   "
          f"({theirs[0] / ours[0]:.1f}x inspecpy's wall time, {theirs[1] / ours[1]:.1f}x its CPU; goal >= 5x)")


if __name__ == "__main__":
    main()
