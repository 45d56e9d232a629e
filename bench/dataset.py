"""Benchmark: integrity checks of a ~1 GB CSV dataset, streamed with bounded memory.

Generates a CSV of numeric features (``f0..f7``, six decimals) and a label
(three classes) in a temporary directory, with a few missing cells,
duplicated rows, conflicting labels and PII cells, then runs the dataset
integrity checks (rows, missing, duplicates, conflicting labels, class
balance, min/max/mean, PII, SHA-256) in a fresh process and prints the
elapsed seconds and that process's peak RSS. Goal: peak RSS <= 300 MB.

    python bench/dataset.py                 # ~1 GB
    python bench/dataset.py --size-mb 100   # smaller
    python bench/dataset.py --keep --dir /tmp/ds   # keep the file
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

FEATURES = 8
BLOCK_ROWS = 200_000


def _block(rng: np.random.Generator, rows: int) -> bytes:
    """*rows* CSV lines: 8 fixed-width numbers ``d.dddddd`` and a label digit, some cells empty."""
    width = FEATURES * 9 + 2
    v = np.minimum(np.rint(rng.random((rows, FEATURES)) * 1e7), 9_999_999).astype(np.int64)
    digits = (v[:, :, None] // 10 ** np.arange(6, -1, -1)) % 10 + 48  # (rows, F, 7)
    cells = np.empty((rows, FEATURES, 9), dtype=np.uint8)
    cells[:, :, 0] = digits[:, :, 0]
    cells[:, :, 1] = ord(".")
    cells[:, :, 2:8] = digits[:, :, 1:]
    cells[:, :, 8] = ord(",")
    line = np.empty((rows, width), dtype=np.uint8)
    line[:, :-2] = cells.reshape(rows, -1)
    line[:, -2] = rng.integers(0, 3, rows) + 48
    line[:, -1] = ord("\n")
    dup = np.flatnonzero(rng.random(rows) < 0.001)  # duplicate the previous row
    dup = dup[dup > 0]
    line[dup] = line[dup - 1]
    conflict = dup[::2]                              # ...some of them with another label
    line[conflict, -2] = 48 + (line[conflict, -2] - 48 + 1) % 3
    keep = np.ones((rows, width), dtype=bool)
    gaps = np.flatnonzero(rng.random(rows) < 0.001)  # one empty cell in these rows
    col = rng.integers(0, FEATURES, gaps.size)
    keep[gaps[:, None], col[:, None] * 9 + np.arange(8)] = False
    return line[keep].tobytes()


def generate(path: str, size_mb: float, seed: int = 0) -> int:
    rng = np.random.default_rng(seed)
    target = int(size_mb * (1 << 20))
    with open(path, "wb") as out:
        out.write((",".join(f"f{i}" for i in range(FEATURES)) + ",label\n").encode())
        # a few PII cells in an otherwise numeric file: E.164 phone numbers and card numbers
        out.write(b"".join(b"1.000000," * (FEATURES - 1) + b"+15551234567,0\n" for _ in range(3)))
        out.write(b"".join(b"1.000000," * (FEATURES - 1) + b"4111111111111111,1\n" for _ in range(2)))
        row_bytes = FEATURES * 9 + 2
        while out.tell() < target:
            out.write(_block(rng, max(1, min(BLOCK_ROWS, (target - out.tell()) // row_bytes))))
    return os.path.getsize(path)


def _vm_hwm() -> float | None:
    """This process's own RSS high-water mark (Linux), which an exec does not inherit."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def check(path: str) -> dict:
    """The integrity checks, as the dataset resource runs them; returns figures."""
    from inspecpy.ml.dataset.engine import DatasetFile

    started = time.perf_counter()
    ds = DatasetFile(lambda: open(path, "rb"), os.path.basename(path), label="label")
    s = ds.stats
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {
        "seconds": round(elapsed, 2), "peak_rss_mb": round(peak, 1), "vm_hwm_mb": _vm_hwm(), "rows": s.rows,
        "missing": s.missing, "duplicate_rows": s.duplicate_rows,
        "conflicting_labels": s.conflicting_labels,
        "class_balance": {k: round(v, 4) for k, v in s.class_balance.items()},
        "min_f0": s.minimum["f0"], "max_f0": s.maximum["f0"], "mean_f0": round(s.mean["f0"], 4),
        "pii": [str(f) for f in s.pii], "sha256": ds.sha256[:16] + "…",
    }


def _child(*args: str) -> str:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]))
    child = subprocess.run([sys.executable, os.path.abspath(__file__), *args],
                           capture_output=True, text=True, env=env)
    if child.returncode:
        sys.exit(child.stderr.strip() or f"child exited with {child.returncode}")
    return child.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=1024.0, help="CSV size to generate (default 1024)")
    parser.add_argument("--dir", help="where to write the CSV (default: a temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    parser.add_argument("--check", metavar="CSV", help=argparse.SUPPRESS)  # the measured child process
    parser.add_argument("--generate", metavar="CSV", help=argparse.SUPPRESS)  # the generating child
    args = parser.parse_args(argv)
    if args.check:
        print(json.dumps(check(args.check)))
        return 0
    if args.generate:
        print(generate(args.generate, args.size_mb))
        return 0
    directory = args.dir or tempfile.mkdtemp(prefix="inspecpy-bench-")
    path = os.path.join(directory, "dataset.csv")
    try:
        started = time.perf_counter()
        # both steps run in child processes: ru_maxrss survives fork+exec, so a
        # big parent would show up in the measured child's peak
        size = int(_child("--generate", path, "--size-mb", str(args.size_mb)))
        print(f"generated {size / (1 << 20):.0f} MiB CSV in {time.perf_counter() - started:.1f} s: {path}")
        figures = json.loads(_child("--check", path))
        for key, value in figures.items():
            print(f"{key:>20}: {value}")
        mb_s = size / (1 << 20) / figures["seconds"]
        verdict = "OK" if max(figures["peak_rss_mb"], figures["vm_hwm_mb"] or 0) <= 300 else "OVER"
        print(f"{'throughput':>20}: {mb_s:.1f} MiB/s; peak RSS goal 300 MB: {verdict}")
    finally:
        if not args.keep:
            if os.path.exists(path):
                os.remove(path)
            if not args.dir:
                os.rmdir(directory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
