"""Services (2.x): legacy clear-text network services absent, and not listening."""

from inspecpy import control, describe, input
from inspecpy.resources import package, port


@control("linux-legacy-packages-absent", impact=0.7,
         title="Legacy clear-text network services are not installed",
         desc="telnet, rsh, NIS, talk and tftp send passwords or data unencrypted and have no place "
              "on a modern host. Package names for Debian and RHEL families are in the input legacy_packages.",
         tags={"section": "2.2 Special purpose services / 2.3 Service clients", "level": 1})
def _():
    for name in input("legacy_packages"):
        describe(package(name)).should_not.be_installed()


@control("linux-legacy-ports-closed", impact=0.7, title="No legacy clear-text service listens",
         desc="Nothing listens on the telnet, rexec, rlogin or rsh ports (input legacy_ports).",
         tags={"section": "2.2 Special purpose services", "level": 1})
def _():
    for number in input("legacy_ports"):
        describe(port(number)).should_not.be_listening()
