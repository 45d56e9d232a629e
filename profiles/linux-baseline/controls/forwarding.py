"""Network parameters (3.2): packet forwarding, allowed only where the input says the host routes."""

from inspecpy import control, describe, input
from inspecpy.resources import kernel_parameter


@control("linux-ip-forwarding-off", impact=0.5, title="The host does not forward packets",
         desc="A host that forwards packets joins networks its firewall was meant to keep apart. "
              "Set the input ip_forwarding_allowed on routers and container hosts.",
         tags={"section": "3.2 Network parameters (host only)", "level": 1},
         only_if=lambda: not input("ip_forwarding_allowed"),
         only_if_message="the input ip_forwarding_allowed says this host routes packets")
def _():
    describe(kernel_parameter("net.ipv4.ip_forward")).its("value").should.eq(0)
    describe(kernel_parameter("net.ipv6.conf.all.forwarding")).its("value").should.eq(0)
