#!/usr/bin/env python3
"""Record a fact: what a resource asks this machine (or any target) and what it answers.

    scripts/record_fact.py port '[22]' listening addresses --case debian12 [-t ssh://me@host]

writes ``tests/facts/port/debian12.json`` with the recording (every command,
file and directory the resource read) and the answers of the named
attributes, for ``tests/unit/resources/test_facts.py`` to replay. Read the
answers before committing them: the fact is a claim about the parser.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inspecpy.plugins import registry  # noqa: E402
from inspecpy.resources.base import read_path  # noqa: E402
from inspecpy.results import jsonable  # noqa: E402
from inspecpy.targets import on_target, open_target  # noqa: E402
from inspecpy.targets.replay import RecordingTarget  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("resource")
    parser.add_argument("args", help="the resource's arguments as a JSON list, e.g. '[22]'")
    parser.add_argument("attributes", nargs="+", help="attribute names or dotted its-paths to record")
    parser.add_argument("--case", required=True, help="the fact's file name (without .json)")
    parser.add_argument("-t", "--target", default="local://")
    options = parser.parse_args()
    cls = registry().resource(options.resource)
    args = json.loads(options.args)
    with open_target(options.target) as real:
        recorder = RecordingTarget(real)
        expected = {}
        with on_target(recorder):
            resource = cls(*args)
            for path in options.attributes:
                try:
                    expected[path] = jsonable(read_path(resource, path.split(".")))
                except Exception as error:  # noqa: BLE001 - recorded as the expected error
                    expected[path] = {"error": f"{type(error).__name__}: {error}"}
    fact = {"resource": options.resource, "args": args, "recorded_on": options.target,
            "recording": recorder.recording, "expected": expected}
    out = ROOT / "tests" / "facts" / options.resource / f"{options.case}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(fact, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {out.relative_to(ROOT)}: {json.dumps(expected)[:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
