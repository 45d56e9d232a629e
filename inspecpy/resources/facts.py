"""Facts: a resource's answers checked against recordings of real hosts (pyinfra's ``tests/facts``).

One folder per resource, ``tests/facts/<resource>/<case>.json``; the harness
(``tests/unit/resources/test_facts.py``) checks every file with
:func:`check_fact`, so a resource is tested without a host::

    {"resource": "port", "args": [22],
     "recording": {"commands": {"ss -tulpn": {"stdout": "...", "exit_status": 0}}},
     "expected": {"listening": true, "addresses": ["0.0.0.0", "::"]}}
"""

from __future__ import annotations

from typing import Any

from inspecpy.plugins import registry
from inspecpy.resources.base import read_path
from inspecpy.targets import on_target
from inspecpy.targets.replay import ReplayTarget


def check_fact(fact: dict[str, Any]) -> list[str]:
    """Differences between a fact's expected answers and what its resource answers on its recording.

    A fact (``tests/facts/<resource>/<case>.json``)::

        {"resource": "port", "args": [22], "recording": {...},
         "expected": {"listening": true, "addresses": ["0.0.0.0", "::"]}}

    ``expected`` maps attribute names (or ``its``-style dotted paths) to
    values; an expected ``{"error": "text"}`` means probing it raises with
    that text in the message.
    """
    cls = registry().resource(fact["resource"])
    problems: list[str] = []
    with on_target(ReplayTarget(fact["recording"])):
        resource = cls(*fact.get("args", []), **fact.get("kwargs", {}))
        for path, expected in fact["expected"].items():
            try:
                actual: Any = read_path(resource, path.split("."))
            except Exception as error:  # noqa: BLE001 - compared with the expected error below
                actual = {"error": f"{type(error).__name__}: {error}"}
                if isinstance(expected, dict) and "error" in expected and expected["error"] in actual["error"]:
                    continue
            if isinstance(actual, tuple):
                actual = list(actual)
            if actual != expected:
                problems.append(f"{fact['resource']}{tuple(fact.get('args', []))}.{path}: "
                                f"expected {expected!r}, got {actual!r}")
    return problems
