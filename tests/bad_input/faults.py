"""What the target fault tests share: a profile that checks a command and a file (the one error line:
``tests.conftest.error_line``)."""

from __future__ import annotations

OK = """
from inspecpy import control, describe
from inspecpy.resources import command, file

@control("ok")
def _():
    describe(command("echo hi")).its("stdout").should.eq("hi\\n")
    describe(file("/etc/passwd")).should.exist()
"""

