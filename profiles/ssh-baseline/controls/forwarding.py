"""Forwarding: no X11, agent, TCP or tunnel forwarding unless a host needs it."""

from inspecpy import control, describe, input

SECTION = "5.2 Configure SSH Server"

FORWARDING = [
    ("ssh-x11-forwarding", "X11Forwarding", "no", 0.5, "5.2.12",
     "X11 forwarding is off", "A forwarded X display lets the server side read the user's keystrokes and screen."),
    ("ssh-agent-forwarding", "AllowAgentForwarding", "no", 0.5, "5.2.16",
     "Agent forwarding is off", "Root on the server can use a forwarded agent to log in anywhere as the user."),
    ("ssh-tcp-forwarding", "AllowTcpForwarding", "no", 0.5, "5.2.16",
     "TCP forwarding is off", "Port forwarding turns the server into a tunnel around the network's firewalls."),
    ("ssh-gateway-ports", "GatewayPorts", "no", 0.3, "5.2.16",
     "Forwarded ports are not opened to other hosts", "GatewayPorts exposes a user's forwarded ports to the whole network."),
    ("ssh-permit-tunnel", "PermitTunnel", "no", 0.5, "5.2.16",
     "tun/tap tunnels are off", "A tunnel device gives the client a full network link into the server's network."),
]


def _register(control_id, keyword, wanted, impact, number, title, desc):
    @control(control_id, impact=impact, title=title, desc=desc, tags={"section": f"{SECTION} ({number})", "level": 2},
             only_if=lambda: sshd_installed())  # noqa: F821
    def _():
        describe(sshd_effective(input("sshd_config_path"))).its(keyword).should.cmp(wanted)  # noqa: F821


for _spec in FORWARDING:
    _register(*_spec)
