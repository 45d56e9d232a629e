"""What ``model_endpoint.robustness`` returns: an attack's result over HTTP, with what it cost.

Apart from :mod:`inspecpy.ml.serving.results` because it extends the attacks' ``Robustness``
(numpy and the attacks): only a robustness check imports it, not the health, metadata or TLS
probes.

    describe(ep.robustness(dataset(d), attack="simba", eps=0.1, clip_min=0, clip_max=1)) \\
        .its("robust_accuracy").should.be_at_least(0.6)
"""

from __future__ import annotations

from dataclasses import dataclass

from inspecpy.ml.attacks.robustness import Robustness


@dataclass(frozen=True)
class EndpointRobustness(Robustness):
    """A black-box attack run through the endpoint: ``Robustness`` plus what it cost.

    ``queries`` counts the rows sent for prediction (the attack's and the
    scoring's), ``requests`` the HTTP requests that carried them;
    ``max_queries`` is the per-sample budget the attack was given.
    """

    queries: int = 0
    requests: int = 0
    max_queries: int = 0

    def __str__(self) -> str:
        return f"{super().__str__()[:-1]}, over HTTP)"
