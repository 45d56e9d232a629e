"""The ``json`` reporter: InSpec's exec-json, read by Heimdall and other InSpec tools.

Example::

    inspecpy exec my-profile --reporter json:results.json

    {"platform": {"name": "debian", "release": "12", "target_id": "local://"},
     "profiles": [{"name": "my-profile", "sha256": "…", "controls": [{"id": "c1",
       "results": [{"status": "passed", "code_desc": "File /etc/passwd is expected to exist", …}]}]}],
     "statistics": {"duration": 0.12, …}, "version": "0.1.0"}

It validates against Chef InSpec's own exec-json schema (draft-04).
"""

from __future__ import annotations

import json
from typing import Sequence

from inspecpy.hookspecs import hookimpl
from inspecpy.reporter import Reporter
from inspecpy.results import RunResult

from inspecpy.reporters._common import utf8
from inspecpy.reporters._inspec_data import exec_json


def dumps(data: object) -> bytes:
    """Compact UTF-8 JSON (control characters escaped, lone surrogates replaced), newline-terminated."""
    return utf8(json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str) + "\n")


class JsonReporter(Reporter):
    """InSpec exec-json."""

    name = "json"
    description = "InSpec exec-json (Heimdall and other InSpec readers)"

    def render(self, runs: Sequence[RunResult]) -> bytes:
        return dumps(exec_json(runs))


@hookimpl
def inspecpy_reporters():
    return [JsonReporter]
