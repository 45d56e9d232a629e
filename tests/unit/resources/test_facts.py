"""Every resource answers from recordings of real hosts as it did there (``tests/facts/<resource>/*.json``).

One harness for every fact (pyinfra's ``tests/facts``): the fact's recording
is replayed by :class:`~inspecpy.targets.replay.ReplayTarget` and each
expected answer compared (:func:`~inspecpy.resources.facts.check_fact`), and
every built-in resource has at least one fact. ``scripts/record_fact.py``
records a fact from a host (this machine, SSH); ``scripts/record_server_facts.py``
the facts that need the test servers (the isolated sshd, containers,
namespaces). A fact written by hand (a platform not available here: systemd,
OpenRC, RHEL, Alpine) says so in its ``source``.

``http`` is recorded over SSH, where the request is made with ``curl`` on the
host; on the local target it is made with Python's ``urllib``, which no
recording replays: that path is tested against a real local server in
``test_http.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspecpy.plugins import registry
from inspecpy.resources.facts import check_fact

FACTS = Path(__file__).resolve().parents[2] / "facts"
FILES = sorted(FACTS.glob("*/*.json"))
BUILTIN = "inspecpy.resources.builtin"


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES])
def test_fact(path: Path):
    fact = json.loads(path.read_text())
    assert fact["resource"] == path.parent.name
    assert fact.get("recorded_on") or fact.get("source"), "a fact says where its recording comes from"
    assert check_fact(fact) == []


#: Resources that never probe a target, so a recording cannot replay them (each says where it is tested).
NOT_THROUGH_A_TARGET = {
    "model_endpoint": "HTTP from the machine running inspecpy: tests/integration/test_model_endpoint.py (real MLServer)",
    "prometheus": "Prometheus's HTTP API from the machine running inspecpy: tests/integration/test_monitoring.py "
                  "and tests/bad_input/test_monitoring.py (real Prometheus)",
}


def test_every_builtin_resource_has_a_fact():
    reg = registry()
    builtin = sorted(name for name, cls in reg.resources.items() if reg.origins.get(cls) == BUILTIN)
    missing = [name for name in builtin if not any((FACTS / name).glob("*.json")) and name not in NOT_THROUGH_A_TARGET]
    assert missing == [], f"built-in resources without a fact in tests/facts/<resource>/: {', '.join(missing)}"


def test_a_wrong_expected_answer_is_reported():
    fact = json.loads((FACTS / "login_defs" / "debian12.json").read_text())
    fact["expected"] = {"PASS_MAX_DAYS": "90", "NO_SUCH_KEY": None}
    assert check_fact(fact) == ["login_defs().PASS_MAX_DAYS: expected '90', got '99999'"]
