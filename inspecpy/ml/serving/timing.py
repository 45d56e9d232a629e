"""``latency()``: a bounded number of prediction requests, some at once, timed one by one.

Bodies are encoded before the clock starts, so the figures are the
server's and the network's, not ours; the request budget is ``samples``.

Example::

    lat = measure(client, "POST", "/v2/models/digits/infer", bodies, samples=200, concurrency=8)
    lat.p50, lat.p99, lat.errors      # 0.0031, 0.0104, 0
"""

from __future__ import annotations

import itertools
import threading
import time

from inspecpy.ml.serving.client import EndpointError, HttpClient
from inspecpy.ml.serving.results import Latency


def measure(client: HttpClient, method: str, path: str, bodies: list[bytes], samples: int,
            concurrency: int) -> Latency:
    """Send ``samples`` requests (cycling over ``bodies``), ``concurrency`` at a time."""
    if samples < 1 or concurrency < 1:
        raise ValueError(f"samples and concurrency must be at least 1, got {samples} and {concurrency}")
    if not bodies:
        raise ValueError("no request body to send")

    def one(i: int) -> tuple[float, str | None]:
        start = time.perf_counter()
        try:
            reply = client.request(method, path, bodies[i % len(bodies)])
            error = None if reply.ok else f"HTTP {reply.status} {reply.reason}"
        except EndpointError as failure:
            error = str(failure)
        return time.perf_counter() - start, error

    outcomes: list[tuple[float, str | None]] = [(0.0, None)] * samples
    counter = itertools.count()  # shared by the workers: each takes the next request number

    def worker() -> None:  # a loop per thread, not a task per request: no hand-off in the timings
        for i in iter(counter.__next__, None):
            if i >= samples:
                return
            outcomes[i] = one(i)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, name=f"inspecpy-latency-{n}") for n in range(min(concurrency, samples) - 1)]
    for thread in threads:
        thread.start()
    worker()  # this thread is one of them
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    return summarise(outcomes, concurrency, seconds)


def summarise(outcomes: list[tuple[float, str | None]], concurrency: int, seconds: float) -> Latency:
    """Percentiles of the successful requests' times; the failures counted with a few examples.

    >>> summarise([(0.1, None), (0.2, None), (0.3, "HTTP 500 Internal Server Error")], 1, 0.6).p50
    0.15
    """
    import numpy as np

    good = np.array([t for t, error in outcomes if error is None])
    errors = [error for _, error in outcomes if error is not None]
    p50: float | None = None
    p95 = p99 = mean = top = p50
    if len(good):
        p50, p95, p99 = (round(float(v), 6) for v in np.percentile(good, [50, 95, 99]))
        mean, top = round(float(good.mean()), 6), round(float(good.max()), 6)
    return Latency(p50=p50, p95=p95, p99=p99, mean=mean, max=top, requests=len(outcomes), errors=len(errors),
                   concurrency=concurrency, seconds=round(seconds, 6),
                   error_examples=tuple(dict.fromkeys(errors))[:3])
