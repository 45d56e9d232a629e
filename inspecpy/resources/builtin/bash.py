"""The ``bash`` resource: a command run by ``bash -c`` (InSpec's ``bash``)."""

from __future__ import annotations

from functools import cached_property

from inspecpy.resources.builtin.command import Command
from inspecpy.targets.base import CommandResult


class Bash(Command):
    """A script run as ``bash -c SCRIPT`` (``path=`` another bash, ``args=`` other options than ``-c``).

    Python::

        describe(bash("ls -al / | wc -l")).its("exit_status").should.eq(0)
        describe(bash("ssh -G localhost")).its("stdout").should.match(r"^ciphers ")

    YAML::

        - bash: "test -d /etc/ssh"
          its: {exit_status: {eq: 0}}
    """

    name = "bash"
    supports = ("unix",)

    def __init__(self, command: str, path: str = "bash", args: str = "-c"):
        super().__init__(command)
        self.shell = path
        self.args = args.split()

    def __str__(self) -> str:
        return f"Bash command {self.command}"

    @cached_property
    def _result(self) -> CommandResult:
        template = " ".join(["{}"] * (1 + len(self.args) + 1))
        return self.target.run(template, self.shell, *self.args, self.command)
