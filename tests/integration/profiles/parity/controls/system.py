"""Platform, users, groups and packages: parsed from files and commands on the target."""

from inspecpy import control, describe
from inspecpy.resources import group, kernel_parameter, passwd, platform, user


@control("system", impact=0.3, title="Platform, accounts, kernel")
def _():
    describe(platform()).its("arch").should.match(r"^\S+$")
    describe(platform()).should.be_in_family("linux")
    describe(user("root")).its("uid").should.eq(0)
    describe(user("root")).its("home").should.eq("/root")
    describe(group("root")).its("gid").should.eq(0)
    describe(passwd()).its("users").should.include("root")
    describe(kernel_parameter("kernel.ostype")).its("value").should.cmp("Linux")
    describe(user("no-such-user-inspecpy")).should_not.exist()
