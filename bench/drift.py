"""Benchmark: drift false alarms on same-distribution samples, and detection of real drift.

Side by side, per column of the mlsvs demo digits (64 pixel columns, the
label left out):

- ``evidently-style``: PSI on 30 equal-width bins over both samples (up to
  20 distinct values counted by value), empty bins floored at 0.0001, drift
  at PSI >= 0.1: Evidently's default PSI, which inspecpy used before;
- ``inspecpy``: PSI on bins from the reference, half-count smoothing,
  small-sample correction, minimum sample size (``inspecpy.ml.dataset.drift``).

For each sample size it draws ``--trials`` seeded samples of held-out rows
(the demo's test split: the same distribution as the training data) and
prints the mean number of columns flagged; then the columns each flags on
the shipped ``recent.csv`` (brighter images: real drift) and on the test
split shifted by 0.03 (a small real drift)::

    python bench/drift.py
    python bench/drift.py --trials 100 --sizes 250 360
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from inspecpy.ml.dataset.drift import SampleTooSmall, drift  # noqa: E402

FILES = os.path.join(ROOT, "profiles", "mlsvs", "files")


def evidently_style_psi(reference: np.ndarray, current: np.ndarray, bins: int = 30) -> float:
    """Evidently's default PSI (equal-width bins over both samples, 0.0001 for empty bins)."""
    if len(np.unique(reference)) > 20:
        edges = np.histogram_bin_edges(np.concatenate([reference, current]), bins=bins)
        ref = np.histogram(reference, edges)[0] / len(reference)
        cur = np.histogram(current, edges)[0] / len(current)
    else:
        keys = np.unique(np.concatenate([reference, current]))
        ref = np.array([(reference == k).mean() for k in keys])
        cur = np.array([(current == k).mean() for k in keys])
    ref[ref == 0] = 0.0001
    cur[cur == 0] = 0.0001
    return float(np.sum((ref - cur) * np.log(ref / cur)))


def flagged(reference: np.ndarray, current: np.ndarray) -> tuple[int, int | str]:
    """Columns flagged by each method (inspecpy: 'refused' when the sample is too small to tell)."""
    old = sum(evidently_style_psi(reference[:, j], current[:, j]) >= 0.1 for j in range(reference.shape[1]))
    try:
        new = len(drift({str(j): reference[:, j] for j in range(reference.shape[1])},
                        {str(j): current[:, j] for j in range(current.shape[1])}).drifted_columns)
    except SampleTooSmall:
        new = "refused"
    return old, new


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 250, 360])
    args = parser.parse_args()
    train = np.load(os.path.join(FILES, "train.npz"))["X"].astype(np.float64)
    test = np.load(os.path.join(FILES, "test.npz"))["X"].astype(np.float64)
    recent = np.loadtxt(os.path.join(FILES, "recent.csv"), delimiter=",", skiprows=1)[:, :64]
    rng = np.random.default_rng(0)
    print(f"reference: train.npz, {len(train)} rows x {train.shape[1]} columns; PSI drift at 0.1")
    print(f"{'current sample':<44}{'evidently-style':>16}{'inspecpy':>12}")
    for size in args.sizes:
        old_total, new_total, refused = 0, 0, 0
        for _ in range(args.trials):
            old, new = flagged(train, test[rng.choice(len(test), min(size, len(test)), replace=False)])
            old_total += old
            refused += new == "refused"
            new_total += 0 if new == "refused" else new
        judged = args.trials - refused
        new_text = "refused" if not judged else f"{new_total / judged:.2f}"
        print(f"{f'{size} held-out rows (same distribution), mean':<44}{old_total / args.trials:>16.2f}{new_text:>12}")
    for name, sample in (("recent.csv (brighter: real drift)", recent),
                         ("test split + 0.03 (small real drift)", np.clip(test + 0.03, 0, 1))):
        old, new = flagged(train, sample)
        print(f"{name:<44}{old:>16}{new:>12}")


if __name__ == "__main__":
    main()
