"""Facts: a resource's answers checked against recordings of real hosts (pyinfra's ``tests/facts``).

Every built-in resource has a folder ``tests/facts/<resource>/`` with one
JSON file per case; the harness (``tests/unit/resources/test_facts.py``)
checks every file with :func:`check_fact`, so a resource is tested without
a host, and fails when a built-in resource has no fact at all. A fact::

    {"resource": "port", "args": [8080], "kwargs": {},
     "recorded_on": "local://",
     "source": "ss -tulpn in a network namespace of a Debian 12 VM, python3 listening on 8080",
     "recording": {"commands": {"ss -tulpn": {"stdout": "...", "exit_status": 0}}},
     "expected": {"listening": true, "addresses": ["0.0.0.0"], "processes": ["python3"]}}

* ``args``/``kwargs`` build the resource (``port(8080)``);
* ``recording`` is what the host answered, in the format
  :class:`~inspecpy.targets.replay.ReplayTarget` replays (commands, files —
  binary ones as ``base64`` —, directory listings, the platform);
* ``expected`` maps attribute names or ``its``-style dotted paths
  (``entries.0.user``, ``match_blocks.0.criteria``) to their JSON value
  (a datetime as its text, a verdict as ``{"ok": …, "reason": …}``); an
  expected ``{"error": "text"}`` means probing it raises with that text in
  the message;
* ``recorded_on`` (the target URI) or ``source`` (free text) say where the
  recording comes from: a recording written by hand (a platform not
  available here) says so in ``source`` and names the documentation or
  output it copies.

How a resource author records a fact from a real host — this machine, an
SSH host, or a recording — with ``scripts/record_fact.py``::

    scripts/record_fact.py port '[22]' listening addresses processes --case debian12 [-t ssh://me@host]
    scripts/record_fact.py crontab '[]' commands users --kwargs '{"path": "/etc/crontab"}' --case debian12

It runs the resource on a :class:`~inspecpy.targets.replay.RecordingTarget`
(:func:`record_fact`), writes ``tests/facts/<resource>/<case>.json`` and
prints the answers. Read every expected answer before committing it: a
fact is a claim about the parser, and a wrong answer recorded is a bug
made permanent. Never record a secret (a real ``/etc/shadow``, a private
key): record from a host holding synthetic files.
"""

from __future__ import annotations

import math
from typing import Any

from inspecpy.plugins import registry
from inspecpy.resources.base import read_path
from inspecpy.results import jsonable
from inspecpy.targets import on_target
from inspecpy.targets.base import Target
from inspecpy.targets.replay import RecordingTarget, ReplayTarget


def _answer(resource: Any, path: str) -> Any:
    """The JSON value at the dotted *path* of *resource*, or ``{"error": "Type: message"}``."""
    try:
        return jsonable(read_path(resource, path.split(".")))
    except Exception as error:  # noqa: BLE001 - an error is an answer too, compared as text
        return {"error": f"{type(error).__name__}: {error}"}


def same(actual: Any, expected: Any) -> bool:
    """JSON values equal, floats within a relative 1e-9 (sums may round differently elsewhere)."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    if isinstance(expected, float) and isinstance(actual, (int, float)) and not isinstance(actual, bool):
        return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(expected, dict) and isinstance(actual, dict):
        return actual.keys() == expected.keys() and all(same(actual[k], expected[k]) for k in expected)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(actual) == len(expected) and all(same(a, e) for a, e in zip(actual, expected))
    return actual == expected


def check_fact(fact: dict[str, Any]) -> list[str]:
    """Differences between a fact's expected answers and what its resource answers on its recording.

    ``[]`` when every expected answer is what the resource answers::

        check_fact(json.load(open("tests/facts/port/netns_python.json")))   # []
    """
    cls = registry().resource(fact["resource"])
    problems: list[str] = []
    with on_target(ReplayTarget(fact["recording"])):
        resource = cls(*fact.get("args", []), **fact.get("kwargs", {}))
        for path, expected in fact["expected"].items():
            actual = _answer(resource, path)
            if isinstance(expected, dict) and set(expected) == {"error"} and isinstance(actual, dict) \
                    and set(actual) == {"error"} and expected["error"] in actual["error"]:
                continue
            if not same(actual, expected):
                problems.append(f"{fact['resource']}{tuple(fact.get('args', []))}.{path}: "
                                f"expected {expected!r}, got {actual!r}")
    return problems


def record_fact(target: Target, resource: str, attributes: list[str], args: list | None = None,
                kwargs: dict | None = None) -> dict[str, Any]:
    """A fact: what *resource* asks *target* and answers for each attribute path (see the module doc)."""
    cls = registry().resource(resource)
    recorder = RecordingTarget(target)
    with on_target(recorder):
        instance = cls(*(args or []), **(kwargs or {}))
        expected = {path: _answer(instance, path) for path in attributes}
    fact: dict[str, Any] = {"resource": resource, "args": list(args or [])}
    if kwargs:
        fact["kwargs"] = kwargs
    fact.update(recorded_on=target.name, recording=recorder.recording, expected=expected)
    return fact
