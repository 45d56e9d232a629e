"""Benchmark of the model engine: attacks against ART, and the static scanner.

Prints, on scikit-learn's digits (360 test samples, inputs scaled to [0, 1]):
FGSM and PGD time and robust accuracy of inspecpy and of ART
(adversarial-robustness-toolbox, a bench-only extra) for a
LogisticRegression, the same for an MLPClassifier (which ART cannot attack),
and the time of ``model(path).safe`` on a 100 MB pickle of numpy arrays.

    python bench/ml.py            # needs scikit-learn; ART optional (pip install adversarial-robustness-toolbox)

BLAS runs single-threaded for both sides (on small shared runners, OpenBLAS
threads spinning against each other dominate every timing otherwise).
"""

from __future__ import annotations

import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REPEAT = 7


def best(fn, repeat=REPEAT):
    """(best seconds, median seconds, last result) of ``repeat`` calls."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times), out


def line(label, seconds, acc=None, extra=""):
    acc_s = f"  robust accuracy {acc:.4f}" if acc is not None else ""
    print(f"  {label:<38} {seconds * 1000:9.2f} ms{acc_s}{extra}")


def data():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    return train_test_split(X / 16.0, y, test_size=360, random_state=0, stratify=y)


def bench_attacks():
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    from inspecpy.ml.attacks.robustness import robustness
    from inspecpy.ml.models.convert import to_network

    Xtr, Xte, ytr, yte = data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lr = LogisticRegression(max_iter=1000).fit(Xtr, ytr)
        mlp = MLPClassifier((64,), max_iter=300, random_state=0).fit(Xtr, ytr)
    nets = {"LogisticRegression": to_network(lr, 0.0, 1.0), "MLPClassifier": to_network(mlp, 0.0, 1.0)}
    settings = {"FGSM eps=0.1": dict(attack="fgsm", eps=0.1),
                "PGD eps=0.1 step=0.01 20 it": dict(attack="pgd", eps=0.1, step_size=0.01, steps=20)}
    ours = {}
    print(f"digits: {len(Xtr)} train / {len(Xte)} test samples, inputs in [0, 1]")
    for model_name, net in nets.items():
        print(f"\n{model_name} (clean accuracy {np.mean(net.predict(Xte) == yte):.4f})")
        for name, kw in settings.items():
            t, med, r = best(lambda net=net, kw=kw: robustness(net, Xte, yte, **kw))
            ours[(model_name, name)] = (t, r.robust_accuracy)
            line(f"inspecpy {name}", t, r.robust_accuracy, f"  (median {med * 1000:.2f} ms)")
        for attack in ("noise", "simba", "hopskipjump"):
            t, _, r = best(lambda net=net, attack=attack: robustness(net, Xte, yte, attack=attack, eps=0.1),
                           repeat=1)
            line(f"inspecpy {attack} eps=0.1 (black-box)", t, r.robust_accuracy)

    print("\nART 1.20 (adversarial-robustness-toolbox)")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", "import art"], capture_output=True)
    if proc.returncode:
        print("  not installed: pip install adversarial-robustness-toolbox (bench-only extra)")
        return
    print(f"  import art (fresh interpreter)           {time.perf_counter() - t0:9.2f} s")
    from art.attacks.evasion import FastGradientMethod, ProjectedGradientDescent
    from art.estimators.classification import SklearnClassifier

    clf = SklearnClassifier(lr, clip_values=(0.0, 1.0))
    xs = Xte.astype(np.float32)
    arts = {"FGSM eps=0.1": lambda: FastGradientMethod(clf, eps=0.1).generate(xs, y=yte),
            "PGD eps=0.1 step=0.01 20 it": lambda: ProjectedGradientDescent(
                clf, eps=0.1, eps_step=0.01, max_iter=20, verbose=False).generate(xs, y=yte)}
    print("  LogisticRegression")
    for name, fn in arts.items():
        t, med, adv = best(fn)
        acc = float(np.mean(lr.predict(adv) == yte))
        mine_t, mine_acc = ours[("LogisticRegression", name)]
        line(f"ART {name}", t, acc, f"  (median {med * 1000:.2f} ms)")
        print(f"    ratio: inspecpy {t / mine_t:.1f}x faster; robust accuracy differs by "
              f"{abs(acc - mine_acc) * 100:.2f} pp (goal <= 0.5 pp)")
    try:
        FastGradientMethod(SklearnClassifier(mlp, clip_values=(0.0, 1.0)), eps=0.1).generate(xs, y=yte)
        print("  MLPClassifier: ART attacked it")
    except Exception as e:  # ART has no loss gradients for scikit-learn MLPs
        print(f"  MLPClassifier: ART cannot attack it ({type(e).__name__}: {str(e)[:80]})")


def bench_scanner():
    from inspecpy.ml.scan.scanner import scan_path
    from inspecpy.resources import model

    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "weights.pkl"
        arrays = {f"layer{i}.weight": rng.standard_normal(1_250_000) for i in range(10)}
        path.write_bytes(pickle.dumps(arrays, protocol=4))
        size = path.stat().st_size / 1e6
        print(f"\nstatic scan of a {size:.0f} MB pickle of 10 numpy arrays (protocol 4)")
        t, med, r = best(lambda: scan_path(path))
        line("scan_path (engine)", t, extra=f"  safe={r.safe}  (median {med * 1000:.2f} ms)")
        t, med, ok = best(lambda: bool(model(str(path)).safe))
        line("model(path).safe (resource, be_safe)", t, extra=f"  safe={ok}  (median {med * 1000:.2f} ms)"
             f"  goal <= 100 ms")
        import joblib

        joblib.dump(arrays, Path(tmp) / "weights.joblib")
        t, med, r = best(lambda: scan_path(Path(tmp) / "weights.joblib"))
        line("scan_path of the same as joblib.dump", t, extra=f"  safe={r.safe}")


def main():
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if threadpool_limits:
        with threadpool_limits(1):
            bench_attacks()
            bench_scanner()
    else:
        bench_attacks()
        bench_scanner()


if __name__ == "__main__":
    main()
