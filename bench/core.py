"""Start-up and run-time figures for the core (issue 2). Prints figures; asserts nothing.

    python bench/core.py            # version, exec example, 1,000 controls x 5 checks

Chef InSpec 5.24.24 on this kind of machine, for comparison: `inspec version`
0.79 s, `inspec exec` of a 6-control profile 2.4 s.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(args: list[str], repeat: int = 5) -> float:
    """Median wall-clock seconds of running *args* (a warm-up run first)."""
    subprocess.run(args, capture_output=True, cwd=ROOT)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(args, capture_output=True, cwd=ROOT)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def big_profile(folder: Path, controls: int = 1000) -> Path:
    """A profile of *controls* controls, each with 5 file/command checks."""
    (folder / "controls").mkdir(parents=True)
    (folder / "inspec.yml").write_text("name: big\n")
    lines = ["from inspecpy import control, describe",
             "from inspecpy.resources import command, file", ""]
    for i in range(controls):
        lines += [
            f"@control('c-{i}', impact=0.5)",
            "def _():",
            "    describe(file('/etc/passwd')).should.exist()",
            "    describe(file('/etc/passwd')).its('mode').should.cmp('0644')",
            f"    describe(file('/etc/hostname')).its('owner').should.eq('root')",
            f"    describe(command('echo {i % 50}')).its('exit_status').should.eq(0)",
            "    describe(file('/etc/os-release')).its('content').should.match('ID=')",
            "",
        ]
    (folder / "controls" / "big.py").write_text("\n".join(lines))
    return folder


def main() -> None:
    exe = [sys.executable, "-m", "inspecpy"]
    print(f"inspecpy --version                 {timed(exe + ['--version']):.3f} s   (goal <= 0.15 s; InSpec 0.79 s)")
    print(f"inspecpy exec profiles/example     {timed(exe + ['exec', 'profiles/example']):.3f} s   "
          "(goal <= 0.4 s; InSpec 2.4 s)")
    with tempfile.TemporaryDirectory() as tmp:
        profile = big_profile(Path(tmp) / "big")
        seconds = timed(exe + ["exec", str(profile), "--reporter", "cli:/dev/null"], repeat=3)
        print(f"exec 1,000 controls x 5 checks     {seconds:.3f} s   (goal <= 3 s)")


if __name__ == "__main__":
    main()
