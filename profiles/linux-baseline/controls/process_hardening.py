"""Process hardening (1.5): core dumps, address space randomisation, default umask."""

from inspecpy import control, describe, input
from inspecpy.resources import kernel_parameter, limits_conf

SECTION = "1.5 Additional process hardening"


@control("linux-core-dumps-limited", impact=0.5, title="Core dumps are disabled for every login",
         desc="A core dump holds the memory of the crashed process, secrets included. "
              "'* hard core 0' in limits.conf (or limits.d) stops users from writing them.",
         tags={"section": SECTION, "level": 1})
def _():
    describe(limits_conf()).its("*").should.include(["hard", "core", "0"])


@control("linux-suid-dumpable-off", impact=0.5, title="Set-uid programs never dump core",
         desc="fs.suid_dumpable = 0 keeps privileged processes from leaving their memory on disk.",
         tags={"section": SECTION, "level": 1})
def _():
    describe(kernel_parameter("fs.suid_dumpable")).its("value").should.eq(0)


@control("linux-aslr-full", impact=0.7, title="Address space layout randomisation is fully on",
         desc="kernel.randomize_va_space = 2 randomises stack, heap and libraries, making memory "
              "corruption exploits much harder.",
         tags={"section": SECTION, "level": 1})
def _():
    describe(kernel_parameter("kernel.randomize_va_space")).its("value").should.eq(2)


@control("linux-dmesg-restricted", impact=0.3, title="Only root reads the kernel log",
         desc="The kernel ring buffer leaks addresses and hardware details useful to an attacker.",
         tags={"section": SECTION, "level": 2})
def _():
    describe(kernel_parameter("kernel.dmesg_restrict")).its("value").should.eq(1)


@control("linux-protected-links", impact=0.5, title="Hard and symbolic link protections are on",
         desc="fs.protected_hardlinks and fs.protected_symlinks block the classic /tmp link races.",
         tags={"section": SECTION, "level": 1})
def _():
    describe(kernel_parameter("fs.protected_hardlinks")).its("value").should.eq(1)
    describe(kernel_parameter("fs.protected_symlinks")).its("value").should.eq(1)


@control("linux-default-umask", impact=0.5, title="New files are not readable by everyone by default",
         desc="The login.defs UMASK must mask at least the bits of the input login_umask (027: "
              "no write for the group, nothing for others).",
         tags={"section": "5.5 User accounts and environment", "level": 1})
def _():
    describe(login_umask()).should.be_at_least_as_strict_as(input("login_umask"))  # noqa: F821 - libraries/umask.py
