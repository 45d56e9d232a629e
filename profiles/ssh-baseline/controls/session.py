"""Sessions: idle timeouts, limits, logging, banner and Match blocks that undo the global settings."""

from inspecpy import control, describe, input
from inspecpy.resources import sshd_config

SECTION = "5.2 Configure SSH Server"


def _sshd():
    return sshd_effective(input("sshd_config_path"))  # noqa: F821


@control("ssh-client-alive", impact=0.5, title="Idle sessions are probed and dropped",
         desc="ClientAliveInterval (at most max_client_alive_interval seconds, never 0) and "
              "ClientAliveCountMax end sessions whose client has gone.",
         tags={"section": f"{SECTION} (5.2.22)", "level": 1}, only_if=lambda: sshd_installed())  # noqa: F821
def _():
    describe(_sshd()).its("ClientAliveInterval").should.be_between(1, input("max_client_alive_interval"))
    describe(_sshd()).its("ClientAliveCountMax").should.be_at_most(input("max_client_alive_count"))


@control("ssh-max-sessions", impact=0.3, title="Few sessions per connection",
         desc="Each session on one connection is a shell or command; a low limit (input max_sessions) bounds abuse.",
         tags={"section": f"{SECTION} (5.2.20)", "level": 1}, only_if=lambda: sshd_installed())  # noqa: F821
def _():
    describe(_sshd()).its("MaxSessions").should.be_at_most(input("max_sessions"))


@control("ssh-log-level", impact=0.3, title="Logins are logged",
         desc="INFO records logins and failures; VERBOSE adds the key fingerprint used.",
         tags={"section": f"{SECTION} (5.2.5)", "level": 1}, only_if=lambda: sshd_installed())  # noqa: F821
def _():
    describe(_sshd()).its("LogLevel").should.be_in(input("log_levels"))


@control("ssh-banner", impact=0.3, title="A warning banner is shown before login",
         desc="A banner states who may use the system; some jurisdictions need it to prosecute misuse.",
         tags={"section": f"{SECTION} (5.2.17)", "level": 1}, only_if=lambda: sshd_installed())  # noqa: F821
def _():
    describe(_sshd()).its("Banner").should_not.cmp("none")


@control("ssh-match-blocks-keep-policy", impact=0.7,
         title="No Match block re-enables root or password logins",
         desc="A Match block overrides the global settings for the users or addresses it matches; "
              "it must not undo the root-login and password policy.",
         tags={"section": SECTION, "level": 1}, only_if=lambda: sshd_installed())  # noqa: F821
def _():
    config = sshd_config(input("sshd_config_path"))
    describe(config).its(["match_settings", "PermitRootLogin"]).should_not.include("yes")
    describe(config).its(["match_settings", "PermitEmptyPasswords"]).should_not.include("yes")


@control("ssh-config-syntax", impact=0.5, title="The server configuration has no line sshd would reject",
         desc="sshd refuses to start (or restart) with a keyword that has no value or an unbalanced quote.",
         tags={"section": SECTION, "level": 1}, only_if=lambda: sshd_installed())  # noqa: F821
def _():
    describe(sshd_config(input("sshd_config_path"))).its("errors").should.be_empty()
