"""Configuration and host key files: owned by root, private keys readable by root only."""

import re

from inspecpy import control, describe, input
from inspecpy.resources import directory, file

SECTION = "5.2 Configure SSH Server"
_PRIVATE = re.compile(r"^ssh_host_.*_key$")


def _host_keys(suffix: str) -> list[str]:
    folder = directory("/etc/ssh")
    names = folder.entries if folder.exists else []
    return [f"/etc/ssh/{n}" for n in names if _PRIVATE.match(n.removesuffix(suffix)) and n.endswith(suffix or "_key")]


@control("ssh-sshd-config-permissions", impact=0.7, title="The server configuration is owned by root and private",
         desc="Anyone who can change sshd_config decides who logs in; anyone who can read it learns how.",
         tags={"section": f"{SECTION} (5.2.1)", "level": 1}, only_if=lambda: sshd_installed())  # noqa: F821
def _():
    path = input("sshd_config_path")
    describe(file(path)).should.exist()
    describe(file(path)).should.be_owned_by("root")
    describe(file(path)).should_not.be_more_permissive_than("0600")


@control("ssh-host-private-keys-permissions", impact=1.0, title="Host private keys are readable by root only",
         desc="A stolen host key lets an attacker impersonate this server without any warning to users. "
              "RHEL-family systems may let the ssh_keys group read them (mode 0640).",
         tags={"section": f"{SECTION} (5.2.2)", "level": 1}, only_if=lambda: sshd_installed())  # noqa: F821
def _():
    keys = _host_keys("")
    describe(keys).should_not.be_empty()
    for path in keys:
        key = file(path)
        describe(key).should.be_owned_by("root")
        describe(key).its("group").should.be_in(["root", "ssh_keys"])
        describe(key).should_not.be_more_permissive_than("0640" if key.group == "ssh_keys" else "0600")


@control("ssh-host-public-keys-permissions", impact=0.5, title="Host public keys are writable by root only",
         desc="A replaced public key makes clients distrust (or trust) the wrong server.",
         tags={"section": f"{SECTION} (5.2.3)", "level": 1}, only_if=lambda: sshd_installed())  # noqa: F821
def _():
    for path in _host_keys(".pub"):
        describe(file(path)).should.be_owned_by("root")
        describe(file(path)).should_not.be_more_permissive_than("0644")


@control("ssh-client-config-permissions", impact=0.3, title="The client configuration is writable by root only",
         desc="A changed ssh_config can send every user's connections through a proxy or disable host key checks.",
         tags={"section": SECTION, "level": 1},
         only_if=lambda: file(input("ssh_config_path")).exists, only_if_message="ssh_config does not exist")
def _():
    describe(file(input("ssh_config_path"))).should.be_owned_by("root")
    describe(file(input("ssh_config_path"))).should_not.be_more_permissive_than("0644")
