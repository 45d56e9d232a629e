"""Control by control, the verdicts Chef InSpec gives for the same checks.

Each control id ends with ``--<verdict>``: the status InSpec 5 reports for
that check on the files this test writes (InSpec's semantics: ``eq`` is
strict, ``cmp`` coerces case, numbers, octal modes and versions, regexes
anchor per line, a missing file's content is nil, an exception fails the
control, an ``only_if`` that is false skips it).
"""

import os

import pytest

from tests.conftest import ROOT, run_cli

PROFILE = ROOT / "tests" / "integration" / "profiles" / "inspec_parity"


@pytest.fixture
def files(tmp_path):
    secret = tmp_path / "secret.conf"
    secret.write_text("# comment\nkey = value\n")
    secret.chmod(0o600)
    (tmp_path / "app.json").write_text('{"server": {"port": 443}}')
    (tmp_path / "app.yml").write_text("server:\n  tls: true\n")
    (tmp_path / "app.ini").write_text("[main]\nmode = strict\n")
    return tmp_path


@pytest.mark.skipif(os.geteuid() != 0, reason="the files must be owned by root, as the checks expect")
def test_verdicts_match_inspec(files, tmp_path):
    from inspecpy.profile.loader import load_profile
    from inspecpy.run.runner import Selection, run_target
    from inspecpy.targets.local import LocalTarget

    profile = load_profile(str(PROFILE), {"root": str(files)})
    run = run_target([profile], LocalTarget("local://"), Selection())
    verdicts = {c.id: c.status for c in run.controls}
    expected = {cid: cid.rsplit("--", 1)[1] for cid in verdicts}
    assert verdicts == expected
    assert len(verdicts) == 29


def test_exit_code_over_the_cli(files):
    run = run_cli("exec", PROFILE, "--input", f"root={files}")
    assert run.code == 100
    assert "×  raises--failed" in run.out
    assert "(error: ValueError: a bug in the control at " in run.out  # and where it was raised
    assert "controls/python_checks.py:146)" in run.out
