"""The ``json-min`` reporter: InSpec's minimal JSON, one flat entry per test result.

Example::

    inspecpy exec my-profile --reporter json-min:results.min.json

    {"statistics": {"duration": 0.12}, "version": "0.1.0",
     "controls": [{"id": "c1", "profile_id": "my-profile", "profile_sha256": "…",
                   "status": "failed", "code_desc": "…", "message": "expected … got …"}]}
"""

from __future__ import annotations

from typing import Sequence

from inspecpy.hookspecs import hookimpl
from inspecpy.reporter import Reporter
from inspecpy.results import RunResult

from inspecpy.reporters._inspec_data import exec_json_min
from inspecpy.reporters.json import dumps


class JsonMinReporter(Reporter):
    """InSpec json-min."""

    name = "json-min"
    description = "InSpec json-min: one flat entry per test"

    def render(self, runs: Sequence[RunResult]) -> bytes:
        return dumps(exec_json_min(runs))


@hookimpl
def inspecpy_reporters():
    return [JsonMinReporter]
