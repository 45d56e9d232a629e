"""What the target fault tests share: a profile that checks a command and a file, and the one error line."""

from __future__ import annotations

OK = """
from inspecpy import control, describe
from inspecpy.resources import command, file

@control("ok")
def _():
    describe(command("echo hi")).its("stdout").should.eq("hi\\n")
    describe(file("/etc/passwd")).should.exist()
"""


def error_line(run) -> str:
    """The run's one ``inspecpy: error:`` line on stderr (and no traceback)."""
    lines = [line for line in run.err.splitlines() if line.startswith("inspecpy: error: ")]
    assert len(lines) == 1, run.err
    assert "Traceback" not in run.err
    return lines[0]
