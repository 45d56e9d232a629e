"""Fixtures for the profile-workflow tests: the command line run in-process, keys, small profiles."""

from __future__ import annotations

import pytest

from tests.conftest import CliRun, write_profile


@pytest.fixture
def inproc(capsys, monkeypatch, tmp_path):
    """Run ``inspecpy ARGS`` in this process (fast); trusted keys come only from the test."""
    from inspecpy.cli import main

    monkeypatch.setenv("INSPECPY_KEYS_DIR", str(tmp_path / "no-trusted-keys"))
    monkeypatch.setenv("INSPECPY_HISTORY", str(tmp_path / "history"))

    def run(*args) -> CliRun:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return CliRun(code, out, err)

    return run


@pytest.fixture
def keypair(tmp_path):
    from inspecpy.profile.keys import generate_key_pair

    return generate_key_pair("ci", str(tmp_path / "keys"))


def controls(*ids: str, failing: tuple[str, ...] = ()) -> str:
    """Python control source: one passing control per id (failing ones fail)."""
    out = []
    for control_id in ids + failing:
        body = "describe(1).should.eq(2)" if control_id in failing else "describe(1).should.eq(1)"
        out.append(f'@control("{control_id}", title="{control_id} title", desc="d")\ndef _():\n    {body}\n')
    return "\n".join(out)


@pytest.fixture
def profile_factory(tmp_path):
    def make(name: str, *ids: str, failing: tuple[str, ...] = (), metadata: str | None = None,
             extra: dict[str, str] | None = None):
        files = {"main.py": controls(*ids, failing=failing)}
        files.update(extra or {})
        return write_profile(tmp_path, name, controls=files, metadata=metadata or f"name: {name}\n")
    return make
