"""A per-sample query budget turned into the black-box attacks' own settings.

``max_queries`` is what one sample may cost the endpoint at most (the
attack's queries, not the two scoring passes). The settings are chosen
from each attack's worst case, so no sample can exceed it; the queries
actually sent are counted and reported beside it.

    >>> attack_settings("simba", 100, features=64)
    {'max_iter': 49}
    >>> attack_settings("hopskipjump", 1000, features=64, value_range=1.0)
    {'steps': 4}
"""

from __future__ import annotations

import math

from inspecpy.ml.attacks.blackbox import _HSJ_INIT_EVAL, _HSJ_INIT_SIZE, _HSJ_MAX_EVAL

_GEOMETRIC = 30  # step-size halvings per HopSkipJump iteration (blackbox.hopskipjump)


def attack_settings(attack: str, max_queries: int, features: int, value_range: float = 1.0) -> dict:
    """``steps``/``max_iter`` for ``attack`` so that one sample costs at most ``max_queries``."""
    budget = int(max_queries)
    if attack == "noise":  # one query to see the sample is correct, then one per draw
        return {"steps": _at_least_one(budget - 1, attack, 2)}
    if attack == "simba":  # scores and label of the clean input, then up to two per feature tried
        return {"max_iter": min(features, _at_least_one((budget - 2) // 2, attack, 4))}
    if attack == "hopskipjump":
        search = math.ceil(math.log2(max(value_range, 1.0) * features / 0.01)) + 1  # binary search
        spent = 1 + _HSJ_INIT_SIZE + search + 1  # correct? start points, first boundary, final check
        steps = 0
        while True:
            evals = int(min(_HSJ_INIT_EVAL * math.sqrt(steps + 1), _HSJ_MAX_EVAL))
            if spent + evals + _GEOMETRIC + search > budget:
                break
            spent += evals + _GEOMETRIC + search
            steps += 1
        return {"steps": _at_least_one(steps, attack, 1 + _HSJ_INIT_SIZE + 2 * search + 2 + 100 + _GEOMETRIC)}
    raise ValueError(f"attack {attack!r} cannot run over an endpoint: use 'simba', 'hopskipjump' or 'noise' "
                     "(black-box attacks; the endpoint gives no gradients)")


def _at_least_one(value: int, attack: str, needed: int) -> int:
    if value < 1:
        raise ValueError(f"max_queries is too small for {attack}: it needs at least {needed} per sample")
    return value
