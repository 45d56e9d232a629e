"""The cli reporter: InSpec's layout, errors on one line, waivers marked."""

from tests.conftest import run_cli, write_profile

CONTROLS = """
from inspecpy import control, describe
@control("ok", title="Fine")
def _():
    describe(1).should.eq(1)
@control("bad", title="Broken")
def _():
    describe("a").should.eq("b")
@control("boom")
def _():
    raise OSError("disk on fire")
"""


def test_layout_waiver_and_error_lines(tmp_path):
    profile = write_profile(tmp_path, controls={"c.py": CONTROLS})
    waivers = tmp_path / "w.yml"
    waivers.write_text("bad:\n  justification: known issue, ticket 42\n  expiration_date: 2099-12-31\n")
    run = run_cli("exec", profile, "--waiver-file", waivers, "--no-color")
    lines = run.out.splitlines()
    assert "  ✔  ok: Fine" in lines
    assert lines[lines.index("  ⚑  bad: Broken") + 1] == "     ⚑  waived: known issue, ticket 42, until 2099-12-31"
    assert any(line.startswith("     ×  Control boom (error: OSError: disk on fire at ") and
               line.endswith(f"{profile}/controls/c.py:11)") for line in lines), lines  # where the error was raised
    assert "Profile Summary: 1 successful control, 1 control failure, 0 controls skipped, 1 control waived" in lines
    assert "Test Summary: 1 successful, 1 failure, 0 skipped, 1 waived" in lines
