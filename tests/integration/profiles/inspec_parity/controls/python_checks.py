"""Checks whose InSpec verdicts are known (the expected verdict is the id's suffix)."""

from inspecpy import control, describe, input
from inspecpy.resources import command, directory, file, group, ini, json, kernel_parameter, package, passwd, user, yaml

ROOT = input("root")


@control("file-exists--passed")
def _():
    describe(file(f"{ROOT}/secret.conf")).should.exist()


@control("file-mode-cmp-octal--failed")
def _():  # the file is 0600; InSpec: expected: 0644 got: 0600
    describe(file(f"{ROOT}/secret.conf")).its("mode").should.cmp("0644")


@control("file-mode-cmp-own-octal--passed")
def _():
    describe(file(f"{ROOT}/secret.conf")).its("mode").should.cmp("0600")


@control("file-content-match-line-anchor--passed")
def _():  # ^ and $ anchor at lines, as in Ruby
    describe(file(f"{ROOT}/secret.conf")).its("content").should.match(r"^key = value$")


@control("file-not-readable-by-other--passed")
def _():
    describe(file(f"{ROOT}/secret.conf")).should_not.be_readable_by("other")


@control("file-writable-by-group--failed")
def _():
    describe(file(f"{ROOT}/secret.conf")).should.be_writable_by("group")


@control("file-owned-by-root--passed")
def _():
    describe(file(f"{ROOT}/secret.conf")).should.be_owned_by("root")


@control("missing-file-exists--failed")
def _():
    describe(file(f"{ROOT}/missing")).should.exist()


@control("missing-file-content-nil--passed")
def _():
    describe(file(f"{ROOT}/missing")).its("content").should.eq(None)


@control("directory-is-directory--passed")
def _():
    describe(directory(ROOT)).should.be_directory()


@control("eq-is-type-strict--failed")
def _():
    describe("5").should.eq(5)


@control("cmp-coerces-numbers--passed")
def _():
    describe("5").should.cmp(5)


@control("cmp-ignores-case--passed")
def _():
    describe("Yes").should.cmp("yes")


@control("cmp-versions--passed")
def _():
    describe("1.10.0").should.be_greater_than("1.9.0")


@control("at-most-coerces--passed")
def _():
    describe("90").should.be_at_most(99999)


@control("command-stdout--passed")
def _():
    describe(command("echo hello")).its("stdout").should.eq("hello\n")
    describe(command("echo hello")).its("exit_status").should.eq(0)


@control("command-exit-status--failed")
def _():
    describe(command("exit 3")).its("exit_status").should.eq(0)


@control("user-root--passed")
def _():
    describe(user("root")).should.exist()
    describe(user("root")).its("uid").should.eq(0)
    describe(group("root")).its("gid").should.eq(0)


@control("user-missing--failed")
def _():
    describe(user("no-such-user-xyz")).should.exist()


@control("package-absent--passed")
def _():
    describe(package("no-such-package-xyz")).should_not.be_installed()


@control("passwd-unique-uids--passed")
def _():
    describe(passwd()).its("users").should.include("root")


@control("collections--passed")
def _():
    describe(["a", "b"]).should.include("a")
    describe("a").should.be_in(["a", "b"])
    describe("").should.be_empty()
    describe("prefix-body").should.start_with("prefix")
    describe("prefix-body").should.end_with("body")
    describe([1, 1]).should.contain_duplicates()


@control("structured-files--passed")
def _():
    describe(json(f"{ROOT}/app.json")).its("server.port").should.eq(443)
    describe(yaml(f"{ROOT}/app.yml")).its("server.tls").should.eq(True)
    describe(ini(f"{ROOT}/app.ini")).its("main.mode").should.cmp("STRICT")


@control("kernel-parameter-cmp--passed")
def _():
    describe(kernel_parameter("kernel.ostype")).its("value").should.cmp("linux")


@control("only-if-false--skipped", only_if=lambda: False)
def _():
    describe(1).should.eq(1)


@control("raises--failed")
def _():
    raise ValueError("a bug in the control")
