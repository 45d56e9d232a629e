"""Black-box evasion attacks for predict-only models: noise, SimBA, HopSkipJump.

All three only query the model, are vectorised over the batch, seeded by
the caller's generator, and keep inputs inside the clip range and the
``eps``-ball (a sample the attack cannot fool within the budget is
returned unchanged).

* ``noise``: up to ``steps`` random draws from the ``eps``-ball.
* ``simba``: SimBA with the pixel basis (Guo et al. 2019): each coordinate,
  in a random order, is moved by ``-step``, else ``+step``, when that lowers
  the probability of the true class; one pass over the features (so with
  L-inf each coordinate moves at most ``eps``).  Needs class scores.
* ``hopskipjump``: HopSkipJump (Chen et al. 2020), decision-based (labels
  only): start from a misclassified random point, binary-search to the
  boundary, estimate the gradient there by Monte-Carlo sampling, step by a
  geometric search, repeat ``steps`` times; ART's defaults for theta, delta
  and the number of evaluations.  The result is projected onto the
  ``eps``-ball and kept if still adversarial.

Example::

    >>> import numpy as np
    >>> from inspecpy.ml.models.network import Network
    >>> from inspecpy.ml.attacks.perturb import Classifier, Clip
    >>> clf = Classifier(Network((np.eye(2),), (np.zeros(2),)))
    >>> x = np.array([[0.45, 0.55]]); rng = np.random.default_rng(0)
    >>> clf.correct(simba(clf, x, np.array([1]), 0.1, "inf", Clip(0, 1), rng=rng), np.array([1]))
    array([False])
"""

from __future__ import annotations

import numpy as np

from inspecpy.ml.attacks.perturb import Classifier, Clip, lp_norm, project, random_ball

_HSJ_INIT_EVAL, _HSJ_MAX_EVAL, _HSJ_INIT_SIZE = 100, 1000, 100
_MC_FLOATS = 1 << 20  # bound on the Monte-Carlo sample tensor (samples x evals x features)


def noise(clf: Classifier, x, y, eps, norm, clip: Clip, steps=20, rng=None, **_unused) -> np.ndarray:
    """Random perturbations from the ``eps``-ball; the first that fools the model is kept."""
    adv = x.copy()
    todo = clf.correct(x, y)
    for _ in range(steps):
        if not todo.any():
            break
        idx = np.flatnonzero(todo)
        cand = clip(x[idx] + random_ball(rng, (len(idx), x.shape[1]), eps, norm))
        fooled = ~clf.correct(cand, y[idx])
        adv[idx[fooled]] = cand[fooled]
        todo[idx[fooled]] = False
    return adv


def simba(clf: Classifier, x, y, eps, norm, clip: Clip, step_size=None, rng=None, max_iter=None,
          **_) -> np.ndarray:
    """SimBA (pixel basis), one pass over the features in a per-sample random order
    (the first ``max_iter`` features of that order when given)."""
    p0 = clf.proba(x)
    if p0 is None:
        raise ValueError("simba needs class probabilities; this model only gives labels "
                         "(use attack='hopskipjump' or 'noise')")
    n, d = x.shape
    step = step_size if step_size is not None else (eps if norm == "inf" else eps / np.sqrt(d))
    adv = x.copy()
    active = clf.correct(x, y)
    col = np.argmax(p0, axis=1)  # for correctly classified samples: the true class
    rows = np.arange(n)
    p = p0[rows, col]
    order = rng.permuted(np.tile(np.arange(d), (n, 1)), axis=1)
    for it in range(d if max_iter is None else min(d, int(max_iter))):
        if not active.any():
            break
        idx = np.flatnonzero(active)
        q = order[idx, it]
        for sign in (-1.0, 1.0):
            if not len(idx):
                break
            cand = adv[idx].copy()
            cand[np.arange(len(idx)), q] += sign * step
            cand = x[idx] + project(clip(cand) - x[idx], eps, norm)
            pc = clf.proba(cand)
            better = pc[np.arange(len(idx)), col[idx]] < p[idx]
            adv[idx[better]], p[idx[better]] = cand[better], pc[better, col[idx[better]]]
            fooled = better & (np.argmax(pc, axis=1) != col[idx])
            active[idx[fooled]] = False
            idx, q = idx[~better], q[~better]
    return adv


def hopskipjump(clf: Classifier, x, y, eps, norm, clip: Clip, steps=20, rng=None, **_unused) -> np.ndarray:
    """Decision-based HopSkipJump, then projected onto the ``eps``-ball."""
    n, d = x.shape
    lo, hi = clip.bounds(x)
    bounded = Clip(lo, hi)
    adv = x.copy()
    idx = np.flatnonzero(clf.correct(x, y))
    if not len(idx):
        return adv
    xs, ys = x[idx], y[idx]
    is_adv = lambda z, yy: ~clf.correct(z, yy)  # noqa: E731
    theta = 0.01 / np.sqrt(d) if norm == "2" else 0.01 / d

    # initial adversarial points: uniform noise over the input range
    start = np.full(xs.shape, np.nan)
    found = np.zeros(len(idx), bool)
    for _ in range(_HSJ_INIT_SIZE):
        left = np.flatnonzero(~found)
        if not len(left):
            break
        cand = rng.uniform(lo, hi, (len(left), d))
        ok = is_adv(cand, ys[left])
        start[left[ok]], found[left[ok]] = cand[ok], True
    xs, ys, idx, start = xs[found], ys[found], idx[found], start[found]
    if not len(idx):
        return adv
    xb = _boundary(xs, start, ys, is_adv, "2", theta)
    dist = lp_norm(xb - xs, norm)
    for t in range(steps):
        delta = np.full(len(xs), 0.1 * float(np.max(np.subtract(hi, lo)))) if t == 0 else \
            (np.sqrt(d) if norm == "2" else d) * theta * dist
        evals = int(min(_HSJ_INIT_EVAL * np.sqrt(t + 1), _HSJ_MAX_EVAL))
        grad = _estimate_gradient(xb, ys, delta, evals, norm, bounded, is_adv, rng)
        update = np.sign(grad) if norm == "inf" else grad / np.maximum(
            np.linalg.norm(grad, axis=1, keepdims=True), 1e-12)
        size = 2.0 * lp_norm(xb - xs, "2") / np.sqrt(t + 1)
        todo = np.ones(len(xs), bool)
        cand = xb.copy()
        for _ in range(30):  # geometric step-size search
            if not todo.any():
                break
            size[todo] /= 2.0
            k = np.flatnonzero(todo)
            c = bounded(xb[k] + size[k, None] * update[k])
            ok = is_adv(c, ys[k])
            cand[k[ok]] = c[ok]
            todo[k[ok]] = False
        xb = _boundary(xs, cand, ys, is_adv, norm, theta)
        dist = lp_norm(xb - xs, norm)
    final = clip(xs + project(xb - xs, eps, norm))
    keep = is_adv(final, ys)
    adv[idx[keep]] = final[keep]
    return adv


def _boundary(x, x_adv, y, is_adv, norm, theta, max_iter=60) -> np.ndarray:
    """Binary search from ``x_adv`` towards ``x``; returns points on the adversarial side."""
    if norm == "2":
        blend = lambda a: (1 - a[:, None]) * x + a[:, None] * x_adv  # noqa: E731
        low, high, threshold = np.zeros(len(x)), np.ones(len(x)), theta
    else:
        blend = lambda a: np.clip(x_adv, x - a[:, None], x + a[:, None])  # noqa: E731
        high = np.abs(x_adv - x).max(axis=1)
        low, threshold = np.zeros(len(x)), np.minimum(high * theta, theta)
    for _ in range(max_iter):
        open_ = high - low > threshold
        if not open_.any():
            break
        mid = np.where(open_, (low + high) / 2, high)
        ok = is_adv(blend(mid), y)
        high = np.where(open_ & ok, mid, high)
        low = np.where(open_ & ~ok, mid, low)
    return blend(high)


def _estimate_gradient(xb, y, delta, evals, norm, clip, is_adv, rng) -> np.ndarray:
    """Monte-Carlo estimate of the boundary's normal at ``xb`` (chunked, float32 samples)."""
    n, d = xb.shape
    out = np.empty_like(xb)
    chunk = max(1, _MC_FLOATS // (evals * d))
    for s in range(0, n, chunk):
        xc = xb[s:s + chunk].astype(np.float32)
        m = len(xc)
        if norm == "2":
            u = rng.standard_normal((m, evals, d), dtype=np.float32)
        else:
            u = rng.random((m, evals, d), dtype=np.float32)
            u *= 2.0
            u -= 1.0
        u /= np.maximum(np.sqrt(np.einsum("ijk,ijk->ij", u, u)), 1e-12)[:, :, None]
        dl = np.maximum(delta[s:s + chunk], 1e-12).astype(np.float32)[:, None, None]
        pert = clip(xc[:, None, :] + dl * u)
        phi = np.where(is_adv(pert.reshape(-1, d), np.repeat(y[s:s + chunk], evals)), 1.0, -1.0)
        phi = phi.reshape(m, evals).astype(np.float32)
        mean = phi.mean(axis=1, keepdims=True)
        phi = np.where(np.abs(mean) == 1.0, phi, phi - mean)
        pert -= xc[:, None, :]
        pert /= dl  # the clipped directions actually sampled
        out[s:s + chunk] = np.einsum("ij,ijk->ik", phi, pert) / evals
    return out
