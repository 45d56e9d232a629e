"""Profile dependencies: include_controls / require_controls (Python and YAML), reports, inputs, resources."""

import json

import pytest

from inspecpy.errors import ProfileError
from inspecpy.profile.loader import load_profile, walk_profiles
from tests.conftest import write_profile

BASE_META = """\
name: base
version: 1.0.0
inputs:
  - name: greeting
    value: hello
"""

BASE_CONTROLS = """\
@control("base-01", impact=0.7, title="one", desc="d")
def _():
    describe(input("greeting")).should.eq("hi")

@control("base-02", title="two", desc="d")
def _():
    describe(1).should.eq(1)

@control("base-03", title="three", desc="d")
def _():
    describe(1).should.eq(2)
"""


@pytest.fixture
def base(tmp_path):
    return write_profile(tmp_path, "base", controls={"b.py": BASE_CONTROLS}, metadata=BASE_META)


def wrapper(tmp_path, controls: dict, depends: str = "  - name: base\n    path: ../base\n", inputs: str = ""):
    meta = f"name: wrap\ndepends:\n{depends}" + (f"inputs:\n{inputs}" if inputs else "")
    return write_profile(tmp_path, "wrap", controls=controls, metadata=meta)


def ids(profile):
    return {p.name: [c.id for c in p.controls] for p in walk_profiles([profile])}


def test_include_controls_with_skip_and_impact(tmp_path, base):
    path = wrapper(tmp_path, {"w.py": 'include_controls("base", skip=["base-03"], impact={"base-01": 0.2})\n'})
    profile = load_profile(str(path))
    assert ids(profile) == {"wrap": [], "base": ["base-01", "base-02"]}
    dep = profile.dependencies["base"]
    assert dep.parent == "wrap"
    assert {c.id: c.impact for c in dep.controls} == {"base-01": 0.2, "base-02": 0.5}


def test_require_controls_runs_only_the_listed(tmp_path, base):
    path = wrapper(tmp_path, {"w.py": 'from inspecpy import require_controls\nrequire_controls("base", ["base-02"])\n'})
    assert ids(load_profile(str(path)))["base"] == ["base-02"]


def test_yaml_form(tmp_path, base):
    path = wrapper(tmp_path, {"w.yml": "- include_controls: base\n  skip: [base-03]\n  impact: {base-02: high}\n"})
    dep = load_profile(str(path)).dependencies["base"]
    assert {c.id: c.impact for c in dep.controls} == {"base-01": 0.7, "base-02": 0.7}
    path = wrapper(tmp_path, {"w.yml": "- require_controls: base\n  controls: [base-01]\n"})
    assert ids(load_profile(str(path)))["base"] == ["base-01"]


def test_a_dependency_not_included_runs_nothing_but_its_resources_are_in_scope(tmp_path):
    lib = "from inspecpy.resources.base import Resource\nclass Greeter(Resource):\n    name = 'greeter'\n" \
          "    @property\n    def word(self):\n        return 'hi'\n"
    write_profile(tmp_path, "base", controls={"b.py": BASE_CONTROLS}, metadata=BASE_META,
                  libraries={"greeter.py": lib})
    path = wrapper(tmp_path, {"w.py": '@control("w")\ndef _():\n    describe(greeter()).its("word").should.eq("hi")\n'})
    profile = load_profile(str(path))
    assert ids(profile) == {"wrap": ["w"], "base": []}
    assert "greeter" in profile.resources


def test_report_lists_dependencies_with_parent_profile_and_their_own_inputs(inproc, tmp_path, base):
    path = wrapper(tmp_path, {"w.py": 'include_controls("base", skip=["base-03"])\n'},
                   inputs="  - name: greeting\n    profile: base\n    value: hi\n")
    run = inproc("exec", path, "--reporter", "json")
    assert run.code == 0, run
    profiles = json.loads(run.out)["profiles"]
    assert [(p["name"], p.get("parent_profile")) for p in profiles] == [("wrap", None), ("base", "wrap")]
    assert [c["id"] for c in profiles[1]["controls"]] == ["base-01", "base-02"]


def test_input_precedence_cli_over_file_over_wrapper_over_metadata(inproc, tmp_path, base):
    path = wrapper(tmp_path, {"w.py": 'include_controls("base", skip=["base-03"])\n'},
                   inputs="  - name: greeting\n    profile: base\n    value: wrapper\n")
    dep = load_profile(str(path)).dependencies["base"]
    assert dep.inputs.get("greeting") == "wrapper"
    dep = load_profile(str(path), {"greeting": "cli"}).dependencies["base"]
    assert dep.inputs.get("greeting") == "cli"
    (tmp_path / "in.yml").write_text("greeting: from-file\n")
    run = inproc("exec", path, "--input-file", tmp_path / "in.yml", "--reporter", "json")
    base_inputs = json.loads(run.out)["profiles"][1]
    assert run.code == 100  # from-file != "hi"
    assert "from-file" in json.dumps(base_inputs)
    run = inproc("exec", path, "--input-file", tmp_path / "in.yml", "--input", "greeting=hi", "--reporter", "json")
    assert run.code == 0


def test_url_dependency_to_a_local_archive_with_digest(inproc, tmp_path, base):
    from inspecpy.profile.archive import build_archive

    archive = tmp_path / "base-1.0.0.tar.gz"
    archive.write_bytes(build_archive(load_profile(str(base))))
    import hashlib

    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    path = wrapper(tmp_path, {"w.py": 'require_controls("base", ["base-02"])\n'},
                   depends=f"  - name: base\n    url: file://{archive}\n    sha256: {digest}\n")
    assert ids(load_profile(str(path)))["base"] == ["base-02"]
    path = wrapper(tmp_path, {"w.py": 'require_controls("base", ["base-02"])\n'},
                   depends="  - name: base\n    url: ../base-1.0.0.tar.gz\n    sha256: " + "ab" * 32 + "\n")
    run = inproc("exec", path)
    assert run.code == 5
    assert "has sha256" in run.err and "inspec.yml expects abab" in run.err


def test_include_of_an_unknown_dependency_or_control_names_the_nearest(tmp_path, base):
    path = wrapper(tmp_path, {"w.py": 'include_controls("bsae")\n'})
    profile = load_profile(str(path))
    assert profile.errors and "has no dependency named 'bsae' (did you mean 'base'?)" in str(profile.errors[0])
    assert str(profile.errors[0]).startswith(str(path / "controls" / "w.py") + ":1: ")
    path = wrapper(tmp_path, {"w.py": 'require_controls("base", ["base-4"])\n'})
    assert "no control 'base-4' in 'base'" in str(load_profile(str(path)).errors[0])


def test_remote_urls_are_refused_clearly(tmp_path, base):
    path = wrapper(tmp_path, {}, depends="  - name: base\n    url: https://example.com/base.tar.gz\n")
    with pytest.raises(ProfileError, match="only local archives are supported"):
        load_profile(str(path))
