"""The ``command`` resource: run a command on the target."""

from __future__ import annotations

from functools import cached_property

from inspecpy.targets.base import CommandResult
from inspecpy.resources.base import Resource


class Command(Resource):
    """A command run once per run (identical commands share one run).

    Python::

        describe(command("uname -r")).its("stdout").should.match(r"^6\\.")
        describe(command("false")).its("exit_status").should.eq(1)

    YAML::

        - command: uname -r
          its: {stdout: {match: '^6\\.'}}
    """

    name = "command"

    def __init__(self, command: str):
        super().__init__()
        self.command = command

    @property
    def resource_id(self) -> str:
        return self.command

    def __str__(self) -> str:
        return f"Command: `{self.command}`"

    @cached_property
    def _result(self) -> CommandResult:
        return self.target.run(self.command)

    @property
    def stdout(self) -> str:
        return self._result.stdout

    @property
    def stderr(self) -> str:
        return self._result.stderr

    @property
    def exit_status(self) -> int:
        return self._result.exit_status

    @cached_property
    def exists(self) -> bool:
        """True when the command's first word is found on the target's PATH."""
        word = self.command.split()[0] if self.command.split() else ""
        return bool(word) and self.target.run("command -v {}", word).exit_status == 0
