"""System file permissions (6.1): world-writable, SUID/SGID and unowned files in system directories."""

from inspecpy import control, describe, input

SECTION = "6.1 System file permissions"


@control("linux-no-world-writable-files", impact=0.7,
         title="No world-writable files in system directories",
         desc="Every user can change a world-writable file; in a system directory that is a way to "
              "alter what root runs or reads.",
         tags={"section": SECTION, "level": 1})
def _():
    found = system_files(input("system_dirs")).where(type="file", world_writable=True)  # noqa: F821
    describe(found).its("paths").should.be_empty()


@control("linux-world-writable-dirs-sticky", impact=0.5,
         title="World-writable directories in system directories have the sticky bit",
         desc="Without the sticky bit any user may delete or rename another user's files in a shared directory.",
         tags={"section": SECTION, "level": 1})
def _():
    found = system_files(input("system_dirs")).where(  # noqa: F821
        lambda f: f.type == "directory" and f.world_writable and not f.sticky)
    describe(found).its("paths").should.be_empty()


@control("linux-suid-sgid-allowlist", impact=0.7,
         title="Only allowlisted programs carry the SUID or SGID bit",
         desc="A SUID/SGID program runs with its owner's rights; each one is attack surface. "
              "Programs the host needs are listed in the input suid_sgid_allowlist.",
         tags={"section": "6.1 System file permissions", "level": 1})
def _():
    allowed = set(input("suid_sgid_allowlist"))
    found = system_files(input("system_dirs")).where(  # noqa: F821
        lambda f: f.type == "file" and (f.suid or f.sgid) and f.path not in allowed)
    describe(found).its("paths").should.be_empty()


@control("linux-no-unowned-files", impact=0.5,
         title="Every file in system directories has a known owner and group",
         desc="A file whose uid or gid names no account is adopted by whoever gets that id next.",
         tags={"section": "6.1 System file permissions", "level": 1})
def _():
    found = system_files(input("system_dirs")).where(unowned=True)  # noqa: F821
    describe(found).its("paths").should.be_empty()
