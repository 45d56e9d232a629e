"""The ``yaml`` reporter: the same data as ``json`` (InSpec's exec-json), as block-style YAML.

Example::

    inspecpy exec my-profile --reporter yaml:results.yml

    platform:
      name: debian
      release: "12"
    profiles:
      - name: my-profile
        controls:
          - id: c1
            results:
              - status: passed
                code_desc: "File /etc/passwd is expected to exist"

Written by a small emitter of its own rather than PyYAML's dumper, whose
representer takes ~17 s of CPU for 100,000 test results (this, under 3 s):
strings that could be read as anything else are double-quoted the JSON way
(valid YAML: every JSON escape is a YAML escape), so ``yaml.safe_load`` of
the report gives back exactly the json report's data.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Sequence

from inspecpy.hookspecs import hookimpl
from inspecpy.reporter import Reporter
from inspecpy.results import RunResult

from inspecpy.reporters._common import utf8
from inspecpy.reporters._inspec_data import exec_json

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*\Z")
# YAML wants these escaped (C1 controls, non-characters; NEL and the Unicode line and paragraph
# separators would be read as line breaks); JSON leaves them raw.
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}  # YAML 1.1 would read these


def scalar(value: Any) -> str:
    """*value* (str, number, bool, None) as a YAML scalar that reads back as the same value."""
    if isinstance(value, str):
        if _PLAIN.match(value) and value.lower() not in _WORDS:
            return value
        quoted = json.dumps(value, ensure_ascii=False)
        return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted) if _UNPRINTABLE.search(quoted) else quoted
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ".inf" if value > 0 else "-.inf"
    if isinstance(value, float):
        text = repr(value)  # YAML 1.1 (PyYAML) reads 1e-05 as a string: write 1.0e-05
        return text.replace("e", ".0e", 1) if "e" in text and "." not in text else text
    if isinstance(value, int):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def _emit(value: Any, pad: str, out: list[str]) -> None:
    """Append the lines of a non-empty dict or list at indentation *pad*."""
    if isinstance(value, dict):
        for key, item in value.items():
            head = f"{pad}{scalar(str(key))}:"
            if isinstance(item, (dict, list)) and item:
                out.append(head)
                _emit(item, pad + "  ", out)
            else:
                out.append(f"{head} {_leaf(item)}")
        return
    for item in value:
        if isinstance(item, (dict, list)) and item:
            start = len(out)
            _emit(item, pad + "  ", out)
            out[start] = f"{pad}- {out[start][len(pad) + 2:]}"  # the first line shares the dash's line
        else:
            out.append(f"{pad}- {_leaf(item)}")


def _leaf(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar(value)


def dumps(data: dict) -> str:
    """*data* (JSON-like) as a YAML document."""
    out: list[str] = ["---"]
    _emit(data, "", out)
    return "\n".join(out) + "\n"


class YamlReporter(Reporter):
    """InSpec exec-json data as YAML."""

    name = "yaml"
    description = "the json report's data as YAML"

    def render(self, runs: Sequence[RunResult]) -> bytes:
        return utf8(dumps(exec_json(runs)))


@hookimpl
def inspecpy_reporters():
    return [YamlReporter]
