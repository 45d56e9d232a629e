"""White-box evasion attacks: FGSM and PGD (L-inf and L2), as ART computes them.

Both follow ART 1.20's ``FastGradientMethod`` / ``ProjectedGradientDescentNumpy``
step for step: the step direction is ``sign(grad)`` (L-inf) or
``grad / ||grad||`` (L2); each step is clipped to the valid input range and
then projected onto the epsilon-ball around the clean input; PGD starts at
the clean input unless ``random_init`` asks for random restarts, in which
case a restart's adversarial examples replace earlier ones where they
succeed.  Vectorised over the whole batch.

Example::

    >>> import numpy as np
    >>> from inspecpy.ml.models.network import Network
    >>> from inspecpy.ml.attacks.perturb import Classifier, Clip
    >>> clf = Classifier(Network((np.eye(2),), (np.zeros(2),)))
    >>> x = np.array([[0.2, 0.6]])
    >>> fgsm(clf, x, np.array([1]), eps=0.1, norm="inf", clip=Clip(0, 1)).round(2).tolist()
    [[0.3, 0.5]]
"""

from __future__ import annotations

import numpy as np

from inspecpy.ml.attacks.perturb import Classifier, Clip, direction, project, random_ball


def fgsm(clf: Classifier, x, y, eps, norm, clip: Clip, **_) -> np.ndarray:
    """Fast gradient sign method: one step of size ``eps``."""
    yi = clf.index(y)
    return x + project(clip(x + eps * direction(clf.gradient(x, yi), norm)) - x, eps, norm)


def pgd(clf: Classifier, x, y, eps, norm, clip: Clip, steps=20, step_size=None,
        rng=None, random_init=0, **_unused) -> np.ndarray:
    """Projected gradient descent; ``step_size`` defaults to ``2.5 * eps / steps``."""
    yi = clf.index(y)
    step = 2.5 * eps / steps if step_size is None else step_size
    rng = rng or np.random.default_rng(0)
    best = None
    for _restart in range(max(1, random_init)):
        xa = x.copy()
        if random_init:
            xa = clip(x + random_ball(rng, x.shape, eps, norm))
        for _ in range(steps):
            xa = clip(xa + step * direction(clf.gradient(xa, yi), norm))
            xa = x + project(xa - x, eps, norm)
        if best is None:
            best = xa
        else:
            won = ~clf.correct(xa, y)
            best[won] = xa[won]
    assert best is not None  # at least one restart ran
    return best
