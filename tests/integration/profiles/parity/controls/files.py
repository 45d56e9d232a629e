"""File probes: stat, symlinks, content, streamed hashes, /proc files."""

import hashlib

from inspecpy import control, describe, input
from inspecpy.resources import file

BIG_SHA256 = hashlib.sha256(bytes(range(256)) * 20000).hexdigest()  # the fixture's big.bin


@control("files-system", impact=0.5, title="System files, as InSpec's file resource sees them")
def _():
    describe(file("/etc/passwd")).should.exist()
    describe(file("/etc/passwd")).should.be_file()
    describe(file("/etc/passwd")).its("mode").should.cmp("0644")
    describe(file("/etc/passwd")).should.be_owned_by("root")
    describe(file("/etc/passwd")).its("content").should.match(r"^root:x:0:0:")
    describe(file("/etc/shadow")).should_not.be_readable_by("other")
    describe(file("/etc")).should.be_directory()
    describe(file("/nonexistent/inspecpy")).should_not.exist()
    describe(file("/proc/sys/kernel/ostype")).its("content").should.eq("Linux\n")


@control("files-fixture", impact=0.7, title="A folder of odd files made by the test")
def _():
    base = input("fixture_dir")
    describe(file(f"{base}/plain.txt")).its("content").should.eq("hello\nworld\n")
    describe(file(f"{base}/plain.txt")).its("mode").should.cmp("0604")
    describe(file(f"{base}/plain.txt")).its("size").should.eq(12)
    describe(file(f"{base}/link")).should.be_symlink()
    describe(file(f"{base}/link")).should.be_file()
    describe(file(f"{base}/link")).its("link_path").should.eq(f"{base}/plain.txt")
    describe(file(f"{base}/dangling")).should.be_symlink()
    describe(file(f"{base}/dangling")).should_not.be_file()
    describe(file(f"{base}/sub dir")).should.be_directory()
    describe(file(f"{base}/fifo")).its("type").should.eq("pipe")
    describe(file(f"{base}/ünï cødé 'q' $x.txt")).its("content").should.eq("odd name\n")
    describe(file(f"{base}/big.bin")).its("sha256sum").should.eq(BIG_SHA256)
    describe(file(f"{base}/big.bin")).its("size").should.eq(256 * 20000)
    describe(file(f"{base}/plain.txt")).its("content").should.match("nope")  # fails everywhere


@control("root-files", impact=1.0, title="Files only root can read")
def _():
    describe(file("/etc/shadow")).its("content").should.match(r"^root:")
