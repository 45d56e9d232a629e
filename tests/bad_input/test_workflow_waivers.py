"""Bad waiver files: refused before anything runs, with the file (and line) named."""

import pytest

from tests.conftest import run_cli, write_profile

CONTROL = '@control("a", title="t", desc="d")\ndef _():\n    open(__file__ + ".ran", "w").close()\n'


@pytest.fixture
def profile(tmp_path):
    return write_profile(tmp_path, controls={"a.py": CONTROL})


@pytest.mark.parametrize("text,message", [
    ("a:\n  justification: [unclosed\n", "waiver file {w}:3: not valid YAML"),
    ("- a\n- b\n", "waiver file {w}: must map control ids to waivers (justification, run, expiration_date), got a list"),
    ("a:\n  justification: x\n  expiration_date: 31/12/2030\n",
     "waiver file {w}: control 'a': expiration_date '31/12/2030' is not a date in YYYY-MM-DD format"),
    ("a:\n  justification: x\n  expiration_date: 2030-02-30\n",
     "waiver file {w}: control 'a': expiration_date '2030-02-30' is not a date in YYYY-MM-DD format"),
    ("a:\n  run: false\n", "waiver file {w}: control 'a': 'justification' is required"),
    ("a:\n  justification: x\n  run: sometimes\n", "waiver file {w}: control 'a': 'run' must be true/false/yes/no"),
    ("a: just a string\n", "waiver file {w}: control 'a': must be a mapping with at least 'justification'"),
])
def test_bad_waiver_file_stops_before_running(tmp_path, profile, text, message):
    waivers = tmp_path / "w.yml"
    waivers.write_text(text)
    run = run_cli("exec", profile, "--waiver-file", waivers)
    assert run.code == 1
    assert f"inspecpy: error: {message.format(w=waivers)}" in run.err
    assert "Traceback" not in run.err and run.out == ""
    assert not (profile / "controls" / "a.py.ran").exists()


def test_missing_waiver_file(tmp_path, profile):
    run = run_cli("exec", profile, "--waiver-file", tmp_path / "nope.yml")
    assert run.code == 1
    assert f"inspecpy: error: cannot read waiver file {tmp_path / 'nope.yml'}: No such file or directory" in run.err


def test_binary_waiver_file(tmp_path, profile):
    (tmp_path / "w.yml").write_bytes(b"\xff\xfe\x00garbage")
    run = run_cli("exec", profile, "--waiver-file", tmp_path / "w.yml")
    assert run.code == 1 and f"waiver file {tmp_path / 'w.yml'}: not UTF-8 text" in run.err
