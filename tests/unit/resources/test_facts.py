"""Every resource answers from recordings of real hosts as it did there (``tests/facts/<resource>/*.json``).

One harness for every fact (pyinfra's ``tests/facts``): the fact's recording
is replayed by :class:`~inspecpy.targets.replay.ReplayTarget` and each
expected answer compared. ``scripts/record_fact.py`` makes a fact from a host.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspecpy.resources.facts import check_fact

FACTS = Path(__file__).resolve().parents[2] / "facts"
FILES = sorted(FACTS.glob("*/*.json"))


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES])
def test_fact(path: Path):
    fact = json.loads(path.read_text())
    assert fact["resource"] == path.parent.name
    assert check_fact(fact) == []
