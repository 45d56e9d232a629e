"""The ``yaml`` reporter: the same data as ``json`` (InSpec's exec-json), as YAML.

Example::

    inspecpy exec my-profile --reporter yaml:results.yml

    platform: {name: debian, release: '12', target_id: local://}
    profiles:
    - name: my-profile
      controls:
      - id: c1
        results:
        - {status: passed, code_desc: File /etc/passwd is expected to exist, …}
"""

from __future__ import annotations

from typing import Sequence

from inspecpy.hookspecs import hookimpl
from inspecpy.reporter import Reporter
from inspecpy.results import RunResult

from ._common import utf8, without_surrogates
from ._inspec_data import exec_json


class YamlReporter(Reporter):
    """InSpec exec-json data as YAML."""

    name = "yaml"
    description = "the json report's data as YAML"

    def render(self, runs: Sequence[RunResult]) -> bytes:
        import yaml

        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        text = yaml.dump(without_surrogates(exec_json(runs)), Dumper=dumper, sort_keys=False, allow_unicode=True, width=120)
        return utf8(text)


@hookimpl
def inspecpy_reporters():
    return [YamlReporter]
