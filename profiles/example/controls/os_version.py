"""Operating system checks."""

from inspecpy import control, describe, input
from inspecpy.resources import command, platform


@control("check_os_version", impact=0.7,
         title="Operating System Version Check",
         desc="Verify that the operating system version meets the requirements",
         tags={"nist": ["CM-6"]}, refs=["CIS 1.1"],
         only_if=lambda: platform().family != "windows")
def _():
    describe(command("uname -r")).its("stdout").should.match(input("os_version"))
