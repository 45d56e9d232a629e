"""Robustness under evasion attacks: run an attack, count what survives.

``robust_accuracy`` is the share of *all* evaluated samples still
classified correctly on the adversarial input (as ART and RobustBench
count it); ``attack_success_rate`` is the share of the clean-correct
samples the attack flipped; ``mean_perturbation`` is the mean size (in the
attack's norm) of the successful perturbations.  White-box attacks
(``fgsm``, ``pgd``) need a model with gradients (the ``.npz`` network, or a
fitted scikit-learn LogisticRegression/linear model/MLPClassifier, which
is converted); black-box ones (``noise``, ``simba``, ``hopskipjump``) work
on any model with ``predict`` (``simba`` also needs ``predict_proba``).

Example::

    >>> import numpy as np
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_digits(return_X_y=True); X = X / 16
    >>> model = LogisticRegression(max_iter=1000).fit(X[:1400], y[:1400])
    >>> r = robustness(model, X[1400:], y[1400:], attack="fgsm", eps=0.1, clip_min=0, clip_max=1)
    >>> r.clean_accuracy > r.robust_accuracy
    True
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from inspecpy.ml.attacks import blackbox, whitebox
from inspecpy.ml.attacks.input_range import WHITE_BOX, attack_input_range
from inspecpy.ml.attacks.perturb import Classifier, Clip, lp_norm, parse_norm
from inspecpy.results import Figure
from inspecpy.ml.annotated import Annotated

ATTACKS = {
    "fgsm": whitebox.fgsm,
    "pgd": whitebox.pgd,
    "noise": blackbox.noise,
    "simba": blackbox.simba,
    "hopskipjump": blackbox.hopskipjump,
}


@dataclass(frozen=True)
class Robustness:
    """Outcome of one attack run."""

    attack: str
    norm: str
    eps: float
    clean_accuracy: float
    robust_accuracy: float  # shown in a failure message with the clean accuracy beside it
    attack_success_rate: float
    mean_perturbation: float
    samples: int
    seconds: float
    model: str = ""
    dataset: str = ""

    def __str__(self) -> str:  # how a control's code_desc names it
        return f"{self.attack.upper()} attack (eps={self.eps:g}, {self.norm}-norm, {self.samples} samples)"

    def figures(self, read: str = "") -> tuple[Figure, ...]:
        """Clean and robust accuracy and the attack's success rate, labelled by model, dataset, attack, ε, norm."""
        labels = dict(model=self.model, dataset=self.dataset, attack=self.attack, eps=float(self.eps), norm=self.norm)
        return (Figure.of("model_clean_accuracy", self.clean_accuracy, "Accuracy on the clean inputs", **labels),
                Figure.of("model_robust_accuracy", self.robust_accuracy,
                          "Share of samples still classified correctly under the attack", **labels),
                Figure.of("model_attack_success_rate", self.attack_success_rate,
                          "Share of the clean-correct samples the attack flipped", **labels))


def robustness(model, X, y, attack: str = "pgd", eps: float = 0.1, norm="inf", steps: int = 20,
               step_size: float | None = None, samples: int | None = None, seed: int = 0,
               clip_min=None, clip_max=None, random_init: int = 0,
               batch_size: int = 1024, max_iter: int | None = None) -> Robustness:
    """Attack ``model`` on ``(X, y)`` and measure accuracy on the adversarial inputs.

    ``clip_min``/``clip_max`` default to the model's own (a network file's
    ``clip_min``/``clip_max``, an ONNX model's metadata); a black-box attack
    without them is refused (:func:`~inspecpy.ml.attacks.input_range.attack_input_range`,
    never a guess); ``samples`` draws a seeded subset;
    ``random_init`` is ART's ``num_random_init`` for PGD (0: start at the
    clean input, ART's default); ``steps`` is the number of iterations of
    pgd/hopskipjump and of random draws of noise (simba makes one pass over
    the features; ``max_iter`` caps that pass at so many features).
    """
    start = time.perf_counter()
    if attack not in ATTACKS:
        raise ValueError(f"unknown attack {attack!r} (one of {', '.join(ATTACKS)})")
    norm = parse_norm(norm)
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps!r}")
    clf = Classifier(model)
    if attack in WHITE_BOX and not clf.has_gradients:
        raise ValueError(f"attack {attack!r} needs loss gradients, which this model "
                         f"({type(clf.model).__name__}) does not give; use a black-box attack: "
                         "'hopskipjump', 'simba' or 'noise'")
    X, y = _check_data(X, y)
    rng = np.random.default_rng(seed)
    if samples is not None and samples < len(X):
        pick = np.sort(rng.choice(len(X), int(samples), replace=False))
        X, y = X[pick], y[pick]
    declared = (getattr(clf.model, "clip_min", None), getattr(clf.model, "clip_max", None))
    clip = Clip(*attack_input_range(attack, clip_min, clip_max, declared,
                                    source=getattr(clf.model, "source", type(clf.model).__name__)))
    fn = ATTACKS[attack]
    adv = np.empty_like(X)
    for s in range(0, len(X), batch_size):
        adv[s:s + batch_size] = fn(clf, X[s:s + batch_size], y[s:s + batch_size], eps=eps, norm=norm,
                                   clip=clip, steps=steps, step_size=step_size, rng=rng,
                                   random_init=random_init, max_iter=max_iter)
    clean = clf.correct(X, y)
    robust = clf.correct(adv, y)
    flipped = clean & ~robust
    sizes = lp_norm(adv - X, norm)[flipped]
    clean_accuracy = float(clean.mean())
    return Robustness(
        attack=attack, norm=norm, eps=float(eps),
        clean_accuracy=clean_accuracy,
        robust_accuracy=Annotated(robust.mean(), f"clean accuracy {clean_accuracy:.4g}, {attack.upper()} "
                                                 f"eps={eps:g}"),
        attack_success_rate=float(flipped.sum() / clean.sum()) if clean.any() else 0.0,
        mean_perturbation=float(sizes.mean()) if len(sizes) else 0.0,
        samples=len(X),
        seconds=time.perf_counter() - start,
    )


def _check_data(X, y) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y).reshape(-1)
    if X.ndim != 2:
        raise ValueError(f"features must be a 2-d array (samples, features), got shape {X.shape}")
    if len(X) != len(y):
        raise ValueError(f"{len(X)} samples but {len(y)} labels")
    if len(X) == 0:
        raise ValueError("no samples to attack")
    if not np.all(np.isfinite(X)):
        raise ValueError("features contain NaN or inf")
    return X, y
