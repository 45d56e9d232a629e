"""Checks that cannot pass by accident: predicates and ``its`` reach only what a resource declares.

Regression tests for issue 10: ``describe(login_defs()).should_not.be_writable_by("other")`` and the
typo ``be_wrtable_by`` used to pass, because config resources answered any name with ``None``.
"""

from __future__ import annotations

import pytest

from inspecpy.dsl import describe
from inspecpy.errors import ProfileError
from inspecpy.plugins import registry
from inspecpy.profile.yaml_controls import load_yaml_controls
from inspecpy.resources import file, login_defs
from inspecpy.run.runner import run_control
from inspecpy.targets import on_target
from inspecpy.targets.replay import ReplayTarget

RECORDING = {"files": {"/etc/login.defs": {"content": "PASS_MAX_DAYS 90\n", "mode": "0644"}}}


@pytest.fixture
def target():
    with on_target(ReplayTarget(RECORDING)) as replay:
        yield replay


def test_a_predicate_the_resource_does_not_declare_is_an_error_not_a_pass(target):
    result = describe(login_defs()).should_not.be_writable_by("other")
    assert result.status == "failed" and result.exception == "UnknownMember"
    assert "login_defs has no attribute 'writable_by'" in result.message


def test_a_misspelt_predicate_names_the_nearest_declared_one(target):
    result = describe(file("/etc/login.defs")).should_not.be_wrtable_by("other")
    assert result.status == "failed" and result.exception == "UnknownMember"
    assert "(did you mean 'writable_by'?)" in result.message


def test_its_reaches_declared_attributes_and_a_config_files_keys(target):
    assert describe(file("/etc/login.defs")).its("mode").should.cmp("0644").status == "passed"
    assert describe(login_defs()).its("PASS_MAX_DAYS").should.cmp(90).status == "passed"
    assert describe(login_defs()).its("PASS_MIN_DAYS").should.eq(None).status == "passed"  # unset key: None
    result = describe(file("/etc/login.defs")).its("mdoe").should.cmp("0644")
    assert result.status == "failed" and "file has no attribute 'mdoe' (did you mean 'mode'?)" in result.message


def test_keys_are_not_attributes_in_python():
    with pytest.raises(AttributeError):
        login_defs().PASS_MAX_DAYS  # noqa: B018 - a typo here must not read None


def test_keyword_arguments_reach_the_predicate():
    class Signed:
        name = "signed"
        resource_id = "m"

        def __str__(self):
            return "signed m"

        def signed_by(self, key, signature=None):
            return key == "k.pub" and signature == "m.sig"

    assert describe(Signed()).should.be_signed_by("k.pub", signature="m.sig").status == "passed"
    result = describe(Signed()).should.be_signed_by("k.pub", signature="other.sig")
    assert result.status == "failed"
    assert result.code_desc == 'signed m is expected to be signed by "k.pub", signature: "other.sig"'


def test_yaml_mapping_gives_keyword_arguments_to_a_predicate(tmp_path):
    text = """
- id: signed
  describe:
    - file: /etc/login.defs
      should: [{be_readable_by: {by: other}}]
    - file: /etc/login.defs
      should_not: [{be_writable_by: {by: other}}]
"""
    (control,) = load_yaml_controls(str(tmp_path / "c.yml"), text, registry().resources, "c.yml")
    result = run_control(control, ReplayTarget(RECORDING))
    assert [r.status for r in result.results] == ["passed", "passed"]


def test_yaml_unknown_matcher_is_refused_when_loading(tmp_path):
    text = "- id: x\n  describe:\n    - file: /etc\n      should: [exsit]\n"
    with pytest.raises(ProfileError, match="unknown matcher 'exsit' \\(did you mean 'exist'\\?\\)"):
        load_yaml_controls(str(tmp_path / "c.yml"), text, registry().resources, "c.yml")
