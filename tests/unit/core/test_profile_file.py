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


class EmptyHost(LocalTarget):
    """A target that has none of this machine's files (every path is missing there)."""

    def _stat(self, path):
        from inspecpy.targets.base import FileStat

        return FileStat(path=path, exists=False)

    def _open(self, path):
        raise FileNotFoundError(path)

    def _listdir(self, path):
        raise FileNotFoundError(path)


def test_profile_files_are_read_from_the_profile_and_target_paths_on_the_target(make_profile, tmp_path):
    """model()/dataset() of profile_file(...), {profile_file: ...} or a relative path: the profile's copy,
    even when the target does not have it; an absolute path: the target's."""
    path = make_profile(controls={
        "a.py": """
            from inspecpy import control, describe, profile_file
            from inspecpy.resources import dataset, file, model
            @control("profile-files")
            def _():
                describe(dataset(profile_file("data.csv"), label="y")).its("rows").should.eq(3)
                describe(dataset("files/data.csv", label="y", reference="files/data.csv")).its("overlap").should.eq(3)
                describe(model("files/m.npz")).its("format").should.eq("npz")
            @control("target-files")
            def _():
                describe(dataset(profile_file("data.csv")).path).should.start_with("/")
                describe(file(profile_file("data.csv"))).should.exist()
            @control("on-the-target")
            def _():
                describe(dataset(HOST_COPY, label="y")).its("rows").should.eq(3)
        """.replace("HOST_COPY", repr(str(tmp_path / "host-copy.csv"))),
        "b.yml": "- id: yml\n  describe:\n    - dataset: {path: {profile_file: data.csv}, label: y}\n"
                 "      its: {rows: {eq: 3}}\n",
    })
    (path / "files").mkdir()
    (path / "files" / "data.csv").write_text("a,y\n1,0\n2,1\n3,0\n")
    (tmp_path / "host-copy.csv").write_text("a,y\n1,0\n2,1\n3,0\n")
    import numpy as np

    np.savez(path / "files" / "m.npz", W0=np.eye(2), b0=np.zeros(2))
    run = run_target([load_profile(str(path))], EmptyHost("local://"), Selection())
    status = {c.id: [r.status for r in c.results] for c in run.controls}
    assert status["profile-files"] == ["passed"] * 3 and status["yml"] == ["passed"]
    # every path resource reads a profile file from the profile (file() too)
    assert status["target-files"] == ["passed", "passed"]
    assert status["on-the-target"] == ["failed"]
    assert "no such file" in run.controls[2].results[0].message


def test_a_profile_file_cannot_leave_its_profile(tmp_path):
    import pytest

    from inspecpy.errors import TargetError
    from inspecpy.targets.profile_files import ProfileFile

    (tmp_path / "p" / "files").mkdir(parents=True)
    (tmp_path / "secret").write_text("x")
    (tmp_path / "p" / "files" / "link").symlink_to(tmp_path / "secret")
    escape = ProfileFile(str(tmp_path / "p"), "files/link")
    with pytest.raises(TargetError, match="is outside the profile"):
        escape.target.read(escape)
    with pytest.raises(TargetError, match="commands run on the target being checked"):
        escape.target.run("id")
