"""InSpec's cmp coercions, case by case (expectations from InSpec's cmp matcher)."""

import re

import pytest

from inspecpy.compare import cmp, show, show_cmp, version_key


@pytest.mark.parametrize("actual, op, expected, verdict", [
    (420, "==", "0644", True),            # octal mode string vs int mode
    (384, "==", "0644", False),
    ("abc", "==", "ABC", True),           # strings compare case-insensitively
    ("abc", "==", "abd", False),
    ("90", "<=", 99999, True),            # numeric string vs number
    ("90", "==", 90, True),
    (90, "==", "90", True),
    ("1.10.0", ">", "1.9.0", True),       # versions, not strings
    ("1.9.0", ">", "1.10.0", False),
    ("3.0", ">=", "3", True),
    (True, "==", "true", True),           # booleans vs their names
    (False, "==", "TRUE", False),
    (["only"], "==", "ONLY", True),       # a one-item list compares its item
    (["a", "b"], "==", "a", False),
    ("5.5", "==", 5.5, True),
    (3.5, ">", "2.5", True),
    ("x", ">", 1, False),                 # incomparable is a mismatch, not an error
    (None, "==", None, True),
    ("value", "==", re.compile("^val"), True),
])
def test_cmp(actual, op, expected, verdict):
    assert cmp(actual, op, expected) is verdict


def test_version_key_orders_numerically():
    assert sorted(["1.10", "1.9", "1.2.3"], key=version_key) == ["1.2.3", "1.9", "1.10"]


def test_show_quotes_strings_and_regexes():
    assert show("a") == '"a"'
    assert show(re.compile("x+")) == "/x+/"
    assert show([1, "b", None, True]) == '[1, "b", null, true]'


def test_show_cmp_formats_modes_as_octal():
    assert show_cmp(384, "0644") == "0600"
    assert show_cmp("text", "x") == "text"
