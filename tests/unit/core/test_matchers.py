"""Every matcher: pass, fail, negation, code_desc and failure message."""

import pytest

from inspecpy import describe
from inspecpy.verdict import Verdict


class Thing:
    """A stand-in resource with the shape the predicate matchers read."""

    name = "thing"
    resource_id = "t1"
    exists = True
    installed = False
    safe = Verdict(False, "found os.system")

    def __str__(self):
        return "Thing t1"

    def readable_by(self, by):
        return by == "owner"


@pytest.mark.parametrize("subject, matcher, args, status", [
    (5, "eq", (5,), "passed"),
    ("5", "eq", (5,), "failed"),          # eq is type-strict
    (1, "eq", (True,), "failed"),
    (5, "eq", (5.0,), "passed"),
    ("Hello", "cmp", ("hello",), "passed"),
    ("line1\nPASS_MAX_DAYS 90\n", "match", (r"^PASS_MAX_DAYS\s+90$",), "passed"),  # ^/$ per line
    ("abc", "match", ("^b",), "failed"),
    ([1, 2, 3], "include", (2,), "passed"),
    ("abcdef", "include", ("cd",), "passed"),
    ({"a": 1}, "include", ("a",), "passed"),
    ({"a": 1, "b": 2}, "include", ({"a": 1},), "passed"),
    ("b", "be_in", (["a", "b"],), "passed"),
    (["a", "c"], "be_in", (["a", "b"],), "failed"),
    ([], "be_empty", (), "passed"),
    ("", "be_empty", (), "passed"),
    ([0], "be_empty", (), "failed"),
    ("abc", "start_with", ("ab",), "passed"),
    ("abc", "end_with", ("bc",), "passed"),
    ([1, 2, 3], "start_with", ([1, 2],), "passed"),
    ("90", "be_at_most", (99999,), "passed"),
    ("1.10.0", "be_greater_than", ("1.9.0",), "passed"),
    (5, "be_less_than", (5,), "failed"),
    (5, "be_at_least", (5,), "passed"),
    (5, "be_between", (1, 5), "passed"),
    (6, "be_between", (1, 5), "failed"),
    ([1, 2, 2], "contain_duplicates", (), "passed"),
    ([1, 2, 3], "contain_duplicates", (), "failed"),
])
def test_value_matchers(subject, matcher, args, status):
    assert describe(subject).should.apply_matcher(matcher, *args).status == status


def test_should_not_inverts():
    assert describe([1]).should_not.be_empty().status == "passed"
    assert describe("x").should_not.eq("x").status == "failed"


def test_predicate_matchers_read_resource_properties():
    thing = Thing()
    assert describe(thing).should.exist().status == "passed"
    assert describe(thing).should_not.be_installed().status == "passed"
    assert describe(thing).should.be_readable_by("owner").status == "passed"
    assert describe(thing).should_not.be_readable_by("other").status == "passed"


def test_verdict_reason_is_in_the_failure_message():
    result = describe(Thing()).should.be_safe()
    assert result.status == "failed"
    assert result.message == "expected Thing t1 to be safe\nfound os.system"


def test_code_desc_reads_like_inspec():
    assert describe(Thing()).its("exists").should.eq(True).code_desc == "Thing t1 exists is expected to eq true"
    assert describe(Thing()).should_not.be_readable_by("other").code_desc == \
        'Thing t1 is expected not to be readable by "other"'


def test_cmp_failure_shows_expected_and_got_in_octal():
    class Mode:
        name = "file"
        resource_id = "/etc/shadow"
        mode = 0o600

        def __str__(self):
            return "File /etc/shadow"

    result = describe(Mode()).its("mode").should.cmp("0644")
    assert result.code_desc == 'File /etc/shadow mode is expected to cmp == "0644"'
    assert result.message == "expected: 0644\n     got: 0600\n\n(compared using `cmp` matcher)"


def test_eq_failure_message():
    result = describe("a").should.eq("b")
    assert result.message == 'expected: "b"\n     got: "a"\n\n(compared using ==)'


def test_unknown_predicate_is_an_error_result_not_a_crash():
    result = describe(5).should.be_shiny()
    assert result.status == "failed" and result.exception == "UnknownMember"
    assert "int has no attribute 'shiny'" in result.message


def test_unknown_matcher_name_raises_attribute_error_with_the_list():
    with pytest.raises(AttributeError, match="unknown matcher 'frobnicate'"):
        describe(5).should.frobnicate


def test_have_matcher_calls_has_predicate():
    class Rules:
        resource_id = "filter"

        def __str__(self):
            return "Iptables filter"

        def has_rule(self, rule):
            return rule == "-P INPUT DROP"

    assert describe(Rules()).should.have_rule("-P INPUT DROP").status == "passed"
    failed = describe(Rules()).should.have_rule("-P INPUT ACCEPT")
    assert failed.message == 'expected Iptables filter to have rule "-P INPUT ACCEPT"'


def test_a_predicate_matcher_tells_the_subject_which_attribute_it_read():
    """``have_rule`` reads ``has_rule``: the figures it reports were asked for "" (nothing) before."""
    from inspecpy.results import Figure

    class Rules:
        safe = True

        def has_rule(self, name):
            return name == "r1"

        def figures(self, read=""):
            return (Figure.of("read", 1.0, attribute=read),)

    reads = [dict(result.figures[0].labels)["attribute"]
             for result in (describe(Rules()).should.have_rule("r1"), describe(Rules()).should.be_safe(),
                            describe(Rules()).should.be_in([1]))]
    assert reads == ["has_rule", "safe", ""]
