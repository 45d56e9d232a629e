"""Ruby profiles run unmodified (issue 17): inspecpy beside Chef InSpec 5.24.24's reference figures.

    python bench/ruby_profiles.py

Runs ``inspecpy exec`` on dev-sec's linux-baseline and ssh-baseline from
``../shared/ruby-profiles`` (whole process: start-up, parse, run, json
report to a temporary file), median of 3 after one warm-up run, and prints
it beside Chef InSpec 5.24.24's figures on this machine kind (2.72 s and
1.56 s, measured where InSpec was installed: it cannot be installed here,
so those two numbers are the reference, not re-measured). Also prints:

* ``inspecpy version`` (InSpec: 0.26 s), the floor of any run;
* the parse cost: the first run after the parse cache is emptied, against
  the warm median (the cache is keyed by file digest);
* the slowest shell command a profile itself runs — linux-baseline's
  os-06 runs ``find /`` over the whole filesystem, which InSpec runs too,
  and whose time depends on how many files the machine holds;
* inspecpy's own CPU time (the process, not the commands it starts).

Bytecode caching is left on (as after ``pip install``) even where the
shell sets ``PYTHONDONTWRITEBYTECODE``. Asserts nothing.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = next((p for p in (ROOT.parent / "shared" / "ruby-profiles", Path("/work/shared/ruby-profiles"))
               if p.is_dir()), None)
INSPEC = {"linux-baseline": 2.72, "ssh-baseline": 1.56, "version": 0.26}
FIND = ("find / -type d \\( -path '/proc/*' -o -path '/var/lib/lxd/containers/*' \\) -prune -type f "
        "-o -perm -2000 -o -perm 4000 2>/dev/null | grep -v '^find:'")
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
CPU_PROBE = ("import resource, runpy, sys; sys.argv = ['inspecpy'] + sys.argv[1:];\n"
             "try:\n    runpy.run_module('inspecpy', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "u = resource.getrusage(resource.RUSAGE_SELF); print(u.ru_utime + u.ru_stime, file=sys.stderr)")


def wall(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, capture_output=True, cwd=ROOT, env=ENV)
    return time.perf_counter() - started


def own_cpu(args: list[str]) -> float:
    """CPU seconds of the inspecpy process itself (the commands it runs excluded)."""
    done = subprocess.run([sys.executable, "-c", CPU_PROBE, *args], capture_output=True, text=True, cwd=ROOT,
                          env=ENV)
    return float(done.stderr.strip().splitlines()[-1])


def exec_args(profile: Path, report: str) -> list[str]:
    return ["exec", str(profile), "--reporter", f"json:{report}"]


def parse_cache() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "inspecpy" / "ruby-ast"


def main() -> None:
    if SHARED is None:
        print("../shared/ruby-profiles is not present: nothing to measure")
        return
    inspecpy = [sys.executable, "-m", "inspecpy"]
    wall(inspecpy + ["version"])
    version = statistics.median(wall(inspecpy + ["version"]) for _ in range(3))
    print(f"{'':16} {'inspecpy':>9} {'InSpec 5.24.24':>15} {'ratio':>7}   (median of 3, whole process)")
    print(f"{'version':16} {version:8.2f}s {INSPEC['version']:14.2f}s {INSPEC['version'] / version:6.1f}x")
    with tempfile.TemporaryDirectory() as tmp:
        report = str(Path(tmp) / "report.json")
        for name in ("linux-baseline", "ssh-baseline"):
            profile = SHARED / name
            shutil.rmtree(parse_cache(), ignore_errors=True)
            cold = wall(inspecpy + exec_args(profile, report))
            runs = [wall(inspecpy + exec_args(profile, report)) for _ in range(3)]
            median = statistics.median(runs)
            cpu = statistics.median(own_cpu(exec_args(profile, report)) for _ in range(3))
            print(f"{name:16} {median:8.2f}s {INSPEC[name]:14.2f}s {INSPEC[name] / median:6.1f}x   "
                  f"(runs {', '.join(f'{r:.2f}' for r in runs)}; first run, parse cache empty: {cold:.2f}s; "
                  f"inspecpy's own CPU {cpu:.2f}s)")
    find = statistics.median(wall(["sh", "-c", FIND]) for _ in range(3))
    print(f"linux-baseline os-06 runs `find /` over the whole filesystem: {find:.2f}s of it here, on "
          f"{load()} (InSpec runs the same command)")
    print("Chef InSpec cannot be installed on this machine: its figures are the reference measured on this "
          "machine kind, not re-measured.")


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {one:.1f} (1 min) / {five:.1f} (5 min)"


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
