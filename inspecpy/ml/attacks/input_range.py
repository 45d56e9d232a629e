"""The valid input range a black-box attack must stay in: given, or declared by the model, never guessed.

A black-box attack that is not told the model's valid input range leaves it
(pixels below 0 or above 1) and reports a robustness far lower than the
model's real one (SimBA at ε = 0.1 on an ONNX MLP of the digits: 0.17
unbounded, 0.39 in [0, 1], near white-box PGD's 0.36). Guessing the range from the data is no better:
a sample rarely reaches the true bounds. So the range comes from the caller
(``clip_min``/``clip_max``), else from the model file where it declares one
(an ``.npz`` network's ``clip_min``/``clip_max`` arrays; an ONNX model's
``clip_min``/``clip_max`` metadata properties), else the attack is refused
with a message asking for it. Any code that runs a black-box attack (the
``model`` resource, the ``model_endpoint`` resource) calls
:func:`attack_input_range`::

    >>> attack_input_range("simba", clip_min=0, clip_max=1)
    (0.0, 1.0)
    >>> attack_input_range("simba", declared=(0, 255))
    (0.0, 255.0)
    >>> attack_input_range("pgd")                       # white-box: unbounded is a valid choice
    (None, None)
    >>> attack_input_range("hopskipjump", source="model.onnx")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    InputRangeMissing: attack 'hopskipjump' on model.onnx needs the model's valid input range (...
"""

from __future__ import annotations

from typing import Any

import numpy as np

WHITE_BOX = ("fgsm", "pgd")

HOW_TO_DECLARE = ("pass clip_min= and clip_max= (mlsvs: --input clip_min=0 clip_max=1), or declare it in the "
                  "model file (.npz: clip_min/clip_max arrays; .onnx: clip_min/clip_max metadata properties)")


class InputRangeMissing(ValueError):
    """A black-box attack was asked for without a known valid input range."""


def as_bound(value: Any) -> float | np.ndarray | None:
    """A bound as a float or a per-feature float array; ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, str):
        import json

        value = json.loads(value)  # ONNX metadata and --input values arrive as text: "0", "[0, 0.5]"
    array = np.asarray(value, dtype=np.float64)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"input range bound {value!r} is not finite")
    return float(array) if array.ndim == 0 else array


def attack_input_range(attack: str, clip_min: Any = None, clip_max: Any = None,
                       declared: tuple[Any, Any] = (None, None), source: str = "the model"):
    """``(lo, hi)`` for *attack*: the given bounds, else the model's *declared* ones.

    A black-box attack refuses (:class:`InputRangeMissing`) when either bound is
    still unknown; a white-box one (``fgsm``, ``pgd``) may run unbounded
    (``None``), as the gradient keeps it near the data. A bound is a number
    or a per-feature list; ``lo`` must be below ``hi``.
    """
    lo = as_bound(clip_min if clip_min is not None else declared[0])
    hi = as_bound(clip_max if clip_max is not None else declared[1])
    if attack not in WHITE_BOX and (lo is None or hi is None):
        missing = " and ".join(name for name, v in (("clip_min", lo), ("clip_max", hi)) if v is None)
        raise InputRangeMissing(
            f"attack {attack!r} on {source} needs the model's valid input range ({missing} unknown): a "
            f"black-box attack that leaves it under-reports robustness, and inspecpy never guesses it "
            f"from the data; {HOW_TO_DECLARE}")
    if lo is not None and hi is not None and not np.all(np.asarray(lo) < np.asarray(hi)):
        raise ValueError(f"clip_min {clip_min if clip_min is not None else declared[0]!r} is not below "
                         f"clip_max {clip_max if clip_max is not None else declared[1]!r}")
    return lo, hi
