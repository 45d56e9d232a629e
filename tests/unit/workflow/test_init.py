"""``inspecpy init``: every template gives a profile that passes check and runs."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize("template,codes", [("basic", {0}), ("linux", {0, 100, 101}), ("ml", {0})])
def test_new_profile_passes_check_and_runs(inproc, tmp_path, template, codes):
    path = tmp_path / f"my-{template}"
    run = inproc("init", "profile", path, "--template", template, "--maintainer", "Ada")
    assert run.code == 0, run
    assert "Created profile" in run.out
    run = inproc("check", path, "--format", "json")
    assert run.code == 0, run.out
    assert '"warnings": []' in run.out
    run = inproc("exec", path)
    assert run.code in codes, run.out + run.err
    assert "Maintainer" not in run.err
    assert "maintainer: Ada" in (path / "inspec.yml").read_text()


def test_basic_profile_shows_controls_inputs_and_a_tested_library(inproc, tmp_path):
    path = tmp_path / "demo"
    inproc("init", "profile", path)
    names = sorted(str(p.relative_to(path)) for p in path.rglob("*") if p.is_file())
    assert names == ["README.md", "controls/example.py", "controls/example.yml", "inspec.yml",
                     "libraries/login_shells.py", "tests/test_login_shells.py"]
    assert "input(\"required_shell\")" in (path / "controls" / "example.py").read_text()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(path / "tests")],
                          capture_output=True, text=True, cwd=path)
    assert proc.returncode == 0, proc.stdout


def test_init_resource_adds_a_library_and_its_test(inproc, tmp_path):
    path = tmp_path / "demo"
    inproc("init", "profile", path)
    run = inproc("init", "resource", "app_users", "--profile", path, "--path", "/etc/app/users")
    assert run.code == 0
    library = (path / "libraries" / "app_users.py").read_text()
    assert 'name = "app_users"' in library and "class AppUsers(Resource)" in library
    assert 'def __init__(self, path: str = "/etc/app/users")' in library
    assert (path / "tests" / "test_app_users.py").is_file()
    assert inproc("check", path).code == 0


def test_init_refuses_to_clobber_and_bad_names(inproc, tmp_path):
    path = tmp_path / "demo"
    inproc("init", "profile", path)
    run = inproc("init", "profile", path)
    assert run.code == 1 and "already exists and is not empty (use --overwrite" in run.err
    run = inproc("init", "resource", "file", "--profile", path)
    assert run.code == 1 and "a resource named 'file' is already registered" in run.err
    run = inproc("init", "resource", "Bad-Name", "--profile", path)
    assert run.code == 1 and "not a usable resource name" in run.err
    run = inproc("init", "resource", "thing", "--profile", tmp_path)
    assert run.code == 1 and "is not a profile (no inspec.yml)" in run.err
    run = inproc("init", "profile", tmp_path / "bad name")
    assert run.code == 1 and "not a usable profile name" in run.err
