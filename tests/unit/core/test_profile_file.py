"""profile_file(): a path in the calling profile's files/, from Python and YAML controls."""

from inspecpy.profile.loader import load_profile
from inspecpy.run.runner import Selection, run_target
from inspecpy.targets.local import LocalTarget


def test_profile_file_from_python_and_yaml(make_profile):
    path = make_profile(controls={
        "a.py": """
            from inspecpy import control, describe, profile_file
            from inspecpy.resources import file
            DATA = profile_file("data.txt")
            @control("py")
            def _():
                describe(file(DATA)).its("content").should.eq("hello\\n")
                describe(file(profile_file("data.txt"))).should.exist()
        """,
        "b.yml": "- id: yml\n  describe:\n    - file: {profile_file: data.txt}\n      should: [exist]\n",
    })
    (path / "files").mkdir()
    (path / "files" / "data.txt").write_text("hello\n")
    run = run_target([load_profile(str(path))], LocalTarget("local://"), Selection())
    assert [c.status for c in run.controls] == ["passed", "passed"]
    assert run.controls[1].results[0].code_desc == f"File {path}/files/data.txt is expected to exist"
