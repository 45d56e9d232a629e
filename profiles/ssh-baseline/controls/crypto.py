"""Protocol and algorithms: only SSH-2 and the allowlisted ciphers, MACs and key exchanges."""

from inspecpy import control, describe, input

SECTION = "5.2 Configure SSH Server"


@control("ssh-protocol-2", impact=1.0, title="Only protocol 2 is spoken",
         desc="SSH-1 is broken beyond repair; old servers still accepted 'Protocol 1' (modern ones ignore it).",
         tags={"section": SECTION, "level": 1}, only_if=lambda: sshd_installed())  # noqa: F821
def _():
    describe(sshd_effective(input("sshd_config_path"))).its("Protocol").should.cmp("2")  # noqa: F821


def _algorithms(control_id, keyword, allowlist, title, desc, number):
    @control(control_id, impact=0.7, title=title, desc=desc + f" The list is the input {allowlist}.",
             tags={"section": f"{SECTION} ({number})", "level": 1}, only_if=lambda: sshd_installed())  # noqa: F821
    def _():
        describe(sshd_algorithms(keyword, input("sshd_config_path"))).should.be_within(input(allowlist))  # noqa: F821


_algorithms("ssh-ciphers", "Ciphers", "allowed_ciphers", "Only strong ciphers are offered",
            "CBC-mode and RC4 ciphers leak plaintext to a well-placed attacker.", "5.2.13")
_algorithms("ssh-macs", "MACs", "allowed_macs", "Only strong MACs are offered",
            "MD5, SHA-1 and 64-bit MACs, and MAC-then-encrypt modes, weaken integrity protection.", "5.2.14")
_algorithms("ssh-kex", "KexAlgorithms", "allowed_kex", "Only strong key exchange algorithms are offered",
            "Small or NIST-curve Diffie-Hellman groups are the weakest part of a modern SSH handshake.", "5.2.15")
