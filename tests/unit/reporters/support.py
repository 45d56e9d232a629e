"""What the reporter tests share: a profile with every kind of result, and the schema checks.

Example::

    from tests.unit.reporters.support import SECRET, all_kinds_profile, assert_exec_json

    profile = all_kinds_profile(tmp_path)
    run = run_cli("exec", profile, "--reporter", f"json:{tmp_path / 'out.json'}")
    assert_exec_json(json.loads((tmp_path / "out.json").read_text()))
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from tests.conftest import ROOT, write_profile

SCHEMAS = ROOT / "tests" / "schemas"  # a copy of ../shared/schemas (test_schemas_match_shared checks it)
SECRET = "s3cr3t-T0ken-value"

METADATA = f"""\
name: rp
title: Reporter profile
version: 1.2.3
maintainer: QA
license: Apache-2.0
summary: Every kind of result a reporter must show
supports:
  - platform-family: linux
inputs:
  - name: api_token
    value: {SECRET}
    sensitive: true
    description: a token that must never appear in a report
  - name: greeting
    value: hello
"""

CONTROLS = '''\
"""Controls with every kind of result."""

from inspecpy import control, describe, input, skip
from inspecpy.resources import command, file


@control("pass-1", impact=0.7, title="Passes", desc="All good",
         tags={"nist": ["AC-1", "AC-2"], "web": None}, refs=["CIS 1.1", {"url": "https://example.org/x"}])
def _():
    describe(1).should.eq(1)
    describe("HELLO").should.cmp(input("greeting"))


@control("fail-1", impact=0.5, title="Fails | with a pipe", tags=["web"])
def _():
    describe(1).should.eq(2)
    describe(2).should.eq(2)


@control("skip-1", impact=0.3, title="Skipped")
def _():
    skip("not today")


@control("error-1", impact=1.0, title="Raises")
def _():
    raise RuntimeError("boom <b>&amp;</b>")


@control("secret-1", impact=0.0, title="Uses the token")
def _():
    describe(command("echo " + input("api_token"))).its("stdout").should.eq("nope")
    describe(input("api_token")).should.eq("nope")
    describe(file("/nonexistent/" + input("api_token"))).should.exist()
'''

#: What the profile above gives, by control id.
EXPECTED_STATUS = {"pass-1": "passed", "fail-1": "failed", "skip-1": "skipped", "error-1": "failed",
                   "secret-1": "failed"}
EXPECTED_TESTS = {"passed": 3, "failed": 5, "skipped": 1}


def all_kinds_profile(root: Path, name: str = "rp", extra: dict[str, str] | None = None) -> Path:
    """The profile above (plus *extra* control files) under *root*."""
    return write_profile(root, name=name, metadata=METADATA.replace("name: rp", f"name: {name}"),
                         controls={"c.py": CONTROLS, **(extra or {})})


@lru_cache(maxsize=None)
def _json_schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text())


def schema_errors(doc: dict, schema: str) -> list[str]:
    """Every way *doc* breaks the draft-04 *schema* (a file in shared/schemas)."""
    import jsonschema

    validator = jsonschema.Draft4Validator(_json_schema(schema))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def assert_exec_json(doc: dict) -> None:
    assert schema_errors(doc, "inspec-exec-json.schema.json") == []


def assert_exec_json_min(doc: dict) -> None:
    assert schema_errors(doc, "inspec-exec-jsonmin.schema.json") == []


@lru_cache(maxsize=1)
def _junit_schema():
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMAS / "JUnit.xsd"))


def assert_junit(data: bytes) -> None:
    """*data* is well-formed XML valid against the Ant JUnit schema."""
    import xml.etree.ElementTree as ET

    _junit_schema().validate(ET.fromstring(data))
