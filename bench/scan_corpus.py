"""Benchmark of the model supply-chain checks: the advisory corpus, speed, signature vectors.

Prints, side by side with modelscan, fickling and picklescan (run from a
throwaway venv given by --others, never the project's dependencies):

- on the corpus of tests/unit/ml/scan_corpus (generated from public
  advisories): malicious files refused, benign files accepted, per tool;
- inspecpy's per-file scan time (median), and the time for a 100 MB pickle
  of numpy arrays;
- the whole gate over the corpus in one ``inspecpy exec`` (one control per
  file, ``be_safe``);
- the verify time of each real model-signing vector (offline), first call
  in a fresh process (imports included) and warm.

    python bench/scan_corpus.py [--others /tmp/benchvenv/bin]
    # others: python -m venv /tmp/benchvenv && /tmp/benchvenv/bin/pip install modelscan fickling picklescan
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from inspecpy.ml.scan.scanner import scan_path  # noqa: E402
from tests.unit.ml.scan_corpus.corpus import build  # noqa: E402

VECTORS = ROOT / "tests" / "unit" / "ml" / "signing_vectors"


def other_verdicts(tool: str, bindir: Path, path: Path) -> bool | None:
    """True when ``tool`` refuses ``path`` (flags it or fails on it), None when not installed."""
    exe = bindir / tool
    if not exe.exists():
        return None
    if tool == "picklescan":
        cmd = [str(exe), "-p", str(path)]
    elif tool == "modelscan":
        cmd = [str(exe), "-p", str(path)]
    else:
        cmd = [str(exe), "--check-safety", str(path)] if path.is_file() else None
        if cmd is None:
            return None
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                              cwd=tempfile.gettempdir())  # fickling writes safety_results.json into its cwd
    except subprocess.TimeoutExpired:
        return True
    out = proc.stdout + proc.stderr
    if tool == "modelscan":
        return proc.returncode != 0 or "No issues found" not in out
    if tool == "picklescan":
        return proc.returncode != 0
    return proc.returncode != 0


def corpus_table(samples, others: Path | None) -> None:
    tools = ["inspecpy"] + (["modelscan", "fickling", "picklescan"] if others else [])
    score = {t: [0, 0, 0, 0] for t in tools}  # refused malicious, total malicious, accepted benign, total benign
    times = []
    for s in samples:
        t = time.perf_counter()
        r = scan_path(s.path)
        times.append(time.perf_counter() - t)
        verdicts = {"inspecpy": not r.safe}
        for tool in tools[1:]:
            verdicts[tool] = other_verdicts(tool, others, s.path)
        for tool, refused in verdicts.items():
            if refused is None:
                continue
            i = 0 if s.malicious else 2
            score[tool][i + 1] += 1
            score[tool][i] += int(refused if s.malicious else not refused)
    mal = sum(s.malicious for s in samples)
    print(f"corpus: {len(samples)} samples ({mal} malicious, {len(samples) - mal} benign), from public advisories")
    print(f"  {'tool':<12} {'malicious refused':>18} {'benign accepted':>16}")
    for tool, (rm, tm, ab, tb) in score.items():
        print(f"  {tool:<12} {f'{rm}/{tm}':>18} {f'{ab}/{tb}':>16}")
    print(f"  inspecpy per-file scan time: median {statistics.median(times) * 1000:.2f} ms, "
          f"max {max(times) * 1000:.1f} ms (goal: median <= 1 ms)")


def big_pickle() -> None:
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "weights.pkl"
        path.write_bytes(pickle.dumps({f"layer{i}": rng.standard_normal(1_250_000) for i in range(10)}, protocol=4))
        runs = []
        for _ in range(5):
            t = time.perf_counter()
            r = scan_path(path)
            runs.append(time.perf_counter() - t)
        print(f"100 MB array pickle ({path.stat().st_size / 1e6:.0f} MB): median {statistics.median(runs) * 1000:.1f} ms"
              f" safe={r.safe} (goal <= 100 ms)")


def gate(samples) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "gate"
        (profile / "controls").mkdir(parents=True)
        (profile / "inspec.yml").write_text("name: gate\nversion: 1.0.0\n")
        lines = ["from inspecpy import control, describe", "from inspecpy.resources import model", ""]
        for i, s in enumerate(samples):
            lines += [f"@control('file-{i}')", "def _():", f"    describe(model({str(s.path)!r})).should.be_safe()", ""]
        (profile / "controls" / "gate.py").write_text("\n".join(lines))
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "inspecpy.cli", "exec", str(profile), "--reporter", "json",
                               "--no-color"], capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - t
        report = json.loads(proc.stdout)
        statuses = [c["results"][0]["status"] for c in report["profiles"][0]["controls"]]
        print(f"gate: one `inspecpy exec` over {len(samples)} files: {seconds:.2f} s "
              f"({statuses.count('passed')} passed, {statuses.count('failed')} failed, exit {proc.returncode}; "
              f"goal <= 2 s)")


def vectors() -> None:
    ident = "identity='stefanb@us.ibm.com', issuer='https://sigstore.verify.ibm.com/oauth2'"
    keys = VECTORS / "keys" / "certificate"
    cases = {"v1.1.0-sigstore": ident, "v0.3.1-sigstore": ident,
             "v1.1.0-certificate": f"certificate_chain=open({str(keys / 'ca-cert.pem')!r}, 'rb').read()",
             "v1.1.0-elliptic-key": f"public_key=open({str(keys / 'signing-key-pub.pem')!r}, 'rb').read()",
             "v0.3.1-elliptic-key": f"public_key=open({str(keys / 'signing-key-pub.pem')!r}, 'rb').read()"}
    print("model-signing vectors, verified offline (fresh process incl. imports / warm):")
    for name, trust in cases.items():
        model = VECTORS / name / ("signme-1" if name == "v0.3.1-elliptic-key" else "")
        code = (f"import time, sys; sys.path.insert(0, {str(ROOT)!r}); t = time.perf_counter()\n"
                "from inspecpy.ml.signing import verify; from inspecpy.ml.files import local_entries\n"
                f"sig = open({str(VECTORS / name / 'model.sig')!r}, 'rb').read()\n"
                f"run = lambda: verify(sig, local_entries({str(model)!r}), signature_path='model.sig', "
                f"ignore=['ignore-me'], {trust})\n"
                "v = run(); first = time.perf_counter() - t\n"
                "t = time.perf_counter(); run(); warm = time.perf_counter() - t\n"
                "print(v.ok, round(first, 3), round(warm, 4))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.split()
        print(f"  {name:<22} ok={out[0]}  first {float(out[1]) * 1000:7.1f} ms  warm {float(out[2]) * 1000:6.1f} ms"
              "  (goal < 500 ms)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--others", type=Path, help="bin/ of a venv with modelscan, fickling, picklescan")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    try:
        samples = build(tmp / "corpus", tmp / "CANARY")
        corpus_table(samples, args.others)
        print(f"  canary after all scans: {'CREATED (a payload ran!)' if (tmp / 'CANARY').exists() else 'absent'}")
        big_pickle()
        gate(samples)
        vectors()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
