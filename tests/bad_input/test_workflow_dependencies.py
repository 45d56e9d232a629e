"""Bad dependencies: a missing path, a cycle, duplicate names, an unusable entry, each one clear line."""

import pytest

from tests.conftest import run_cli, write_profile

CONTROL = '@control("{n}-1", title="t", desc="d")\ndef _():\n    describe(1).should.eq(1)\n'


def profile(root, name, depends="", controls=None):
    meta = f"name: {name}\n" + (f"depends:\n{depends}" if depends else "")
    return write_profile(root, name, controls=controls or {"c.py": CONTROL.format(n=name)}, metadata=meta)


def assert_error(run, message):
    assert run.code == 1, run
    assert f"inspecpy: error: {message}" in run.err
    assert "Traceback" not in run.err and run.out == ""


def test_missing_path(tmp_path):
    path = profile(tmp_path, "a", "  - name: b\n    path: ../b\n")
    run = run_cli("exec", path)
    assert_error(run, f"{path / 'inspec.yml'}: dependency 'b': path ../b not found ({tmp_path / 'b'})")


def test_missing_archive(tmp_path):
    path = profile(tmp_path, "a", "  - name: b\n    url: file:///nowhere/b.tar.gz\n")
    assert_error(run_cli("exec", path),
                 f"{path / 'inspec.yml'}: dependency 'b': archive file:///nowhere/b.tar.gz not found (/nowhere/b.tar.gz)")


def test_cycle(tmp_path):
    profile(tmp_path, "a", "  - name: b\n    path: ../b\n")
    profile(tmp_path, "b", "  - name: c\n    path: ../c\n")
    profile(tmp_path, "c", "  - name: a\n    path: ../a\n")
    run = run_cli("exec", tmp_path / "a")
    assert_error(run, f"dependency cycle: a -> b -> c -> a (in {tmp_path / 'c' / 'inspec.yml'})")


def test_self_dependency_is_a_cycle(tmp_path):
    path = profile(tmp_path, "a", "  - name: me\n    path: .\n")
    assert "dependency cycle: a -> a" in run_cli("exec", path).err


def test_duplicate_names(tmp_path):
    profile(tmp_path, "b")
    profile(tmp_path, "c")
    path = profile(tmp_path, "a", "  - name: b\n    path: ../b\n  - name: b\n    path: ../c\n")
    assert_error(run_cli("exec", path), f"{path / 'inspec.yml'}: two dependencies are named 'b' (give each a unique name)")


def test_dependency_named_like_its_parent(tmp_path):
    profile(tmp_path, "b")
    path = profile(tmp_path, "a", "  - name: a\n    path: ../b\n")
    assert_error(run_cli("exec", path),
                 f"{path / 'inspec.yml'}: dependency 'a' has the same name as the profile that depends on it")


@pytest.mark.parametrize("entry,message", [
    ("  - path: ../b\n", "dependency '../b' needs a 'name' (include_controls refers to it)"),
    ("  - name: b\n", "dependency 'b' needs 'path' (a folder) or 'url' (a local archive)"),
    ("  - name: b\n    git: https://example.com/b.git\n", "dependency 'b': 'git' sources are not supported"),
    ("  - just-a-string\n", "each dependency must be a mapping with name and path or url"),
])
def test_unusable_entries(tmp_path, entry, message):
    path = profile(tmp_path, "a", entry)
    run = run_cli("check", path)
    assert run.code == 1
    assert message in run.out


def test_include_of_an_undeclared_dependency_is_a_located_load_error(tmp_path):
    path = profile(tmp_path, "a", controls={"c.py": 'include_controls("nope")\n'})
    run = run_cli("exec", path)
    assert run.code == 1
    assert f"{path / 'controls' / 'c.py'}:1: include_controls('nope'): profile 'a' has no dependency named 'nope'" \
        in run.err
