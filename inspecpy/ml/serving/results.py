"""What ``model_endpoint`` methods return: frozen objects whose fields ``its()`` reads.

    describe(ep.error_hygiene()).its("violations").should.be_empty()
    describe(ep.agreement(model(p), dataset(d))).its("agreement").should.eq(1.0)
    describe(ep.latency(samples=200, concurrency=8)).its("p99").should.be_at_most(0.2)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Metadata:
    """A served model's metadata; ``inputs``/``outputs`` hold ``{name, datatype, shape}``."""

    name: str | None
    versions: tuple[str, ...] = ()
    platform: str = ""
    inputs: tuple[dict[str, Any], ...] = ()
    outputs: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Tls:
    """The endpoint's TLS: protocol, certificate and whether it verifies.

    ``enabled`` is False for ``http://`` (every other field is then None or
    empty); ``verified`` means the chain verifies against ``ca_file`` (or
    the system store) and ``hostname_match`` that the certificate names the
    host; ``error`` says why the verified handshake failed.
    """

    enabled: bool
    version: str | None = None
    cipher: str | None = None
    subject: dict[str, str] = field(default_factory=dict)
    issuer: dict[str, str] = field(default_factory=dict)
    sans: tuple[str, ...] = ()
    not_after: str | None = None
    days_to_expiry: float | None = None
    hostname_match: bool | None = None
    verified: bool | None = None
    error: str | None = None

    def __str__(self) -> str:
        return "TLS" if self.enabled else "TLS (plain http)"


@dataclass(frozen=True)
class Probe:
    """One malformed request of ``error_hygiene`` and what the server answered."""

    name: str
    status: int | None
    broken_rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class ErrorHygiene:
    """Malformed requests must get a 4xx (never a 5xx) and no stack trace, path or version.

    ``violations`` has one line per broken rule, naming the probe.
    """

    violations: tuple[str, ...]
    probes: tuple[Probe, ...]

    @property
    def passed(self) -> bool:
        return not self.violations

    def __str__(self) -> str:
        return f"error hygiene ({len(self.probes)} malformed requests)"


@dataclass(frozen=True)
class Agreement:
    """Served predictions versus the pinned model file's, on the same rows.

    ``examples`` holds up to five ``{row, served, pinned}`` disagreements.
    """

    agreement: float
    disagreements: int
    samples: int
    examples: tuple[dict[str, Any], ...] = ()

    def __str__(self) -> str:
        return f"agreement with the pinned model ({self.samples} samples)"


@dataclass(frozen=True)
class Latency:
    """Seconds per prediction request: percentiles over the successful ones, and the failures."""

    p50: float | None
    p95: float | None
    p99: float | None
    mean: float | None
    max: float | None
    requests: int
    errors: int
    concurrency: int
    seconds: float
    error_examples: tuple[str, ...] = ()

    @property
    def error_rate(self) -> float:
        return self.errors / self.requests if self.requests else 0.0

    def __str__(self) -> str:
        return f"latency ({self.requests} requests, {self.concurrency} at once)"
