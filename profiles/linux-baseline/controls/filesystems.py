"""Filesystem configuration (1.1): unneeded filesystem modules, /tmp and /dev/shm mount options."""

from inspecpy import control, describe, input
from inspecpy.resources import kernel_module, mount


@control("linux-unneeded-filesystems-disabled", impact=0.3,
         title="Filesystem modules the server does not need cannot be loaded",
         desc="Every filesystem driver is kernel code an attacker can reach by mounting a crafted image. "
              "Each module in the input unneeded_filesystems must be disabled "
              "('install <name> /bin/false' in modprobe.d) and not loaded.",
         tags={"section": "1.1.1 Disable unused filesystems", "level": 1})
def _():
    for name in input("unneeded_filesystems"):
        module = kernel_module(name)
        describe(module).should_not.be_loaded()
        describe(module).should.be_disabled()


@control("linux-tmp-separate-mount", impact=0.3, title="/tmp is a separate filesystem",
         desc="A separate /tmp cannot fill the root filesystem and can be mounted nodev,nosuid.",
         tags={"section": "1.1.2 Configure /tmp", "level": 1})
def _():
    describe(mount("/tmp")).should.be_mounted()


@control("linux-tmp-mount-options", impact=0.5, title="/tmp is mounted nodev and nosuid",
         desc="Every user writes to /tmp; device files or set-uid programs placed there must have no effect.",
         tags={"section": "1.1.2 Configure /tmp", "level": 1},
         only_if=lambda: mount("/tmp").mounted, only_if_message="/tmp is not a separate mount")
def _():
    describe(mount("/tmp")).its("options").should.include("nodev", "nosuid")


@control("linux-dev-shm-mount-options", impact=0.5, title="/dev/shm is mounted nodev, nosuid and noexec",
         desc="Shared memory is world-writable; it must not hold device files, set-uid or runnable programs.",
         tags={"section": "1.1.8 Configure /dev/shm", "level": 1},
         only_if=lambda: mount("/dev/shm").mounted, only_if_message="/dev/shm is not mounted")
def _():
    describe(mount("/dev/shm")).its("options").should.include("nodev", "nosuid", "noexec")
