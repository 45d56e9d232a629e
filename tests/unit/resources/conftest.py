"""Resources tested from recordings: the replay target (:mod:`inspecpy.targets.replay`) as fixtures.

``replay(recording)`` or ``replay("port", "ss_debian")`` makes a
ReplayTarget current for the test; recordings live in ``fixtures/<resource>/``.
"""

from __future__ import annotations

import json
import pathlib

import pytest

from inspecpy.targets import on_target
from inspecpy.targets.replay import ReplayTarget

FIXTURES = pathlib.Path(__file__).parent / "fixtures"


def load_recording(resource: str, name: str) -> dict:
    """``fixtures/<resource>/<name>.json``."""
    return json.loads((FIXTURES / resource / f"{name}.json").read_text())


@pytest.fixture
def replay():
    """``replay(recording)`` or ``replay("port", "ss_debian")``: a ReplayTarget made current."""
    stack = []

    def make(recording, name: str | None = None) -> ReplayTarget:
        if isinstance(recording, str):
            recording = load_recording(recording, name)
        target = ReplayTarget(recording)
        context = on_target(target)
        context.__enter__()
        stack.append(context)
        return target

    yield make
    for context in reversed(stack):
        context.__exit__(None, None, None)


@pytest.fixture
def recorded():
    """``recorded("port", "ss_ubuntu")``: a fixture file's recording, as a dict."""
    return load_recording
