"""A resource from a separately installed package works in Python and YAML controls."""

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, write_profile


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory) -> dict:
    """An environment whose PYTHONPATH holds the installed test plugin (this env stays clean)."""
    folder = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                    "--target", str(folder), str(ROOT / "tests" / "plugins" / "inspecpy_greeting")],
                   check=True, capture_output=True)
    return {**os.environ, "PYTHONPATH": str(folder)}


def inspecpy(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "inspecpy", *args], capture_output=True, text=True, env=env)


def test_plugin_resource_in_profile(plugin_env, tmp_path):
    profile = write_profile(tmp_path, controls={
        "a.py": """
            from inspecpy import control, describe
            from inspecpy.resources import greeting
            @control("py-greeting")
            def _():
                describe(greeting("world; echo INJECTED")).its("text").should.eq("hello world; echo INJECTED")
        """,
        "b.yml": "- id: yaml-greeting\n  describe:\n    - greeting: there\n      its: {text: {eq: hello there}}\n",
    })
    run = inspecpy(plugin_env, "exec", str(profile))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Test Summary: 2 successful, 0 failures, 0 skipped" in run.stdout

    listing = inspecpy(plugin_env, "plugins")
    assert "greeting             greeting" in listing.stdout


def test_blocked_plugin_is_not_loaded(plugin_env, tmp_path):
    profile = write_profile(tmp_path, controls={"b.yml": "- id: y\n  describe:\n    - greeting: there\n"})
    run = inspecpy({**plugin_env, "INSPECPY_DISABLE_PLUGINS": "greeting"}, "exec", str(profile))
    assert run.returncode == 1
    assert "unknown resource 'greeting'" in run.stderr
