"""Prometheus's text exposition format, written by ``prometheus_client`` (imported when used).

The prometheus reporter and ``inspecpy exporter`` build metric families
(``GaugeMetricFamily``…) and write them through here::

    from prometheus_client.core import GaugeMetricFamily
    exposition([GaugeMetricFamily("inspecpy_demo", "A demo", value=1)])
    # b'# HELP inspecpy_demo A demo\\n# TYPE inspecpy_demo gauge\\ninspecpy_demo 1.0\\n'
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator


class Families:
    """A collector that yields fixed metric families: what ``generate_latest`` and ``push_to_gateway`` read."""

    def __init__(self, families: Iterable[Any]) -> None:
        self.families = list(families)

    def collect(self) -> Iterator[Any]:
        return iter(self.families)


def exposition(families: Iterable[Any]) -> bytes:
    """The text format (0.0.4) of *families*, label values escaped by ``prometheus_client``."""
    from prometheus_client import generate_latest

    return generate_latest(Families(families))  # any object with collect() will do
