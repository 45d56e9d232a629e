"""Classification metrics: accuracy, and precision/recall/F1 macro and per class.

The macro averages run over the labels present in the true or the
predicted labels (scikit-learn's convention), and a ratio whose
denominator is zero counts as 0.

Example::

    >>> import numpy as np
    >>> e = classification_metrics(np.array([0, 0, 1, 1]), np.array([0, 1, 1, 1]))
    >>> e.accuracy, round(e.f1, 3), e.per_class[1].recall
    (0.75, 0.733, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from inspecpy.results import Figure


@dataclass(frozen=True)
class ClassMetrics:
    label: object
    precision: float
    recall: float
    f1: float
    support: int


class _PerClass(dict):
    """Per-class metrics keyed by the label's text (``"3"``); ``[3]`` works too."""

    def __missing__(self, key):
        if str(key) in self:
            return self[str(key)]
        raise KeyError(key)


@dataclass(frozen=True)
class Evaluation:
    """Accuracy and macro precision/recall/F1 over ``samples``, with ``per_class``."""

    accuracy: float
    precision: float
    recall: float
    f1: float
    samples: int
    per_class: dict = field(default_factory=_PerClass, hash=False)
    model: str = ""
    dataset: str = ""

    def __str__(self) -> str:  # how a control's code_desc names it
        return f"Evaluation on {self.samples} samples"

    def figures(self, read: str = "") -> tuple[Figure, ...]:
        """Accuracy and macro F1, labelled by model and dataset."""
        labels = dict(model=self.model, dataset=self.dataset)
        return (Figure.of("model_accuracy", self.accuracy, "Accuracy on the evaluation dataset", **labels),
                Figure.of("model_f1", self.f1, "Macro F1 on the evaluation dataset", **labels))


def classification_metrics(y_true, y_pred) -> Evaluation:
    """Metrics of predicted against true labels (1-d, same length)."""
    y_true, y_pred = np.asarray(y_true).reshape(-1), np.asarray(y_pred).reshape(-1)
    if len(y_true) != len(y_pred):
        raise ValueError(f"{len(y_true)} labels but {len(y_pred)} predictions")
    if len(y_true) == 0:
        raise ValueError("no samples to evaluate")
    if y_true.dtype.kind != y_pred.dtype.kind and "U" in (y_true.dtype.kind, y_pred.dtype.kind):
        y_true, y_pred = y_true.astype(str), y_pred.astype(str)
    labels = np.unique(np.concatenate([y_true, y_pred]))
    per = _PerClass()
    for label in labels:
        t, p = y_true == label, y_pred == label
        tp = int(np.sum(t & p))
        precision = tp / p.sum() if p.sum() else 0.0
        recall = tp / t.sum() if t.sum() else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        key = label.item() if hasattr(label, "item") else label
        per[str(key)] = ClassMetrics(key, float(precision), float(recall), float(f1), int(t.sum()))
    vals = list(per.values())
    return Evaluation(
        accuracy=float(np.mean(y_true == y_pred)),
        precision=float(np.mean([c.precision for c in vals])),
        recall=float(np.mean([c.recall for c in vals])),
        f1=float(np.mean([c.f1 for c in vals])),
        samples=len(y_true),
        per_class=per,
    )


def evaluate(predict_fn, X, y) -> Evaluation:
    """Evaluate ``predict_fn(X) -> labels`` on features ``X`` and true labels ``y``."""
    return classification_metrics(y, predict_fn(np.asarray(X)))
