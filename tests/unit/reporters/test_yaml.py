"""yaml: its own fast emitter must read back, with PyYAML, as exactly the data it was given."""

import math

import yaml

from inspecpy.reporters.yaml import dumps

TRICKY = {
    "words": ["yes", "no", "On", "OFF", "null", "Null", "~", "true", "y", "n", "NaN", ".inf", "e5", "0x1f", "12",
              "1.5", "2024-05-01", "1_000"],
    "syntax": ["", " lead", "trail ", "a: b", "a:b", "- x", "-", "#c", "x #y", "<<", "=", "|", ">", "'q'", '"d"',
               "{a}", "[b]", "&anchor", "*alias", "!tag", "%dir", "@at", "`tick", "?", ",", "a\\b"],
    "controls": ["multi\nline\r\n", "tab\tx", "\x00\x01\x1b[31m\x7f\x85\x9f\u2028\u2029\ufffe", "é ✔ 😀"],
    "numbers": [0, -1, 10**20, 0.5, 1e-05, 5e-324, 1e20, -2.5e-7, 0.1 + 0.2, True, False, None],
    "empty": {}, "none": [], "nested": [[1, [2, []]], [{}], {"k": [{"x": {"y": [1]}}, {}]}],
    "keys": {"yes": 1, "1": 2, "a b": 3, "": 4, "platform-family": "linux", "-": 5, "null": 6, "a: b": 7},
}


def test_tricky_values_read_back_unchanged():
    assert yaml.safe_load(dumps(TRICKY)) == TRICKY


def test_non_finite_floats():
    back = yaml.safe_load(dumps({"a": math.inf, "b": -math.inf, "c": math.nan}))
    assert back["a"] == math.inf and back["b"] == -math.inf and math.isnan(back["c"])


def test_reads_like_yaml(reports):
    text = reports.text("yaml")
    assert text.startswith("---\nplatform:\n  name: ")
    assert "\n    controls:\n      - id: pass-1\n        title: Passes\n" in text
    assert '\n            code_desc: "1 is expected to eq 1"\n' in text
