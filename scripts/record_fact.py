#!/usr/bin/env python3
"""Record a fact: what a resource asks this machine (or any target) and what it answers.

    scripts/record_fact.py port '[22]' listening addresses --case debian12 [-t ssh://me@host]
    scripts/record_fact.py crontab '[]' commands --kwargs '{"path": "/etc/crontab"}' --case debian12

writes ``tests/facts/<resource>/<case>.json`` with the recording (every
command, file and directory the resource read) and the answers of the named
attributes, for ``tests/unit/resources/test_facts.py`` to replay. Read the
answers before committing them: the fact is a claim about the parser. The
format is described in :mod:`inspecpy.resources.facts`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inspecpy.resources.facts import record_fact  # noqa: E402
from inspecpy.targets import open_target  # noqa: E402

FACTS = ROOT / "tests" / "facts"


def write_fact(fact: dict, case: str, source: str | None = None) -> Path:
    """Write *fact* as ``tests/facts/<resource>/<case>.json`` (with *source*, when given) and say what it holds."""
    if source:
        fact = {**{k: v for k, v in fact.items() if k not in ("recording", "expected")}, "source": source,
                "recording": fact["recording"], "expected": fact["expected"]}
    out = FACTS / fact["resource"] / f"{case}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(fact, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {out.relative_to(ROOT)}: {json.dumps(fact['expected'], ensure_ascii=False)[:400]}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("resource")
    parser.add_argument("args", help="the resource's arguments as a JSON list, e.g. '[22]'")
    parser.add_argument("attributes", nargs="+", help="attribute names or dotted its-paths to record")
    parser.add_argument("--kwargs", default="{}", help="keyword arguments as a JSON object")
    parser.add_argument("--case", required=True, help="the fact's file name (without .json)")
    parser.add_argument("--source", help="where the recording comes from, when the target URI does not say it")
    parser.add_argument("-t", "--target", default="local://")
    options = parser.parse_args()
    with open_target(options.target) as target:
        fact = record_fact(target, options.resource, options.attributes, json.loads(options.args),
                           json.loads(options.kwargs))
    write_fact(fact, options.case, options.source)
    return 0


if __name__ == "__main__":
    sys.exit(main())
