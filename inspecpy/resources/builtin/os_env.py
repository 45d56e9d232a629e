"""The ``os_env`` resource: an environment variable on the target."""

from __future__ import annotations

from functools import cached_property

from inspecpy.resources.base import Resource


class OsEnv(Resource):
    """An environment variable as the target's login shell sees it.

    Python::

        describe(os_env("PATH")).its("split").should_not.include("")
        describe(os_env("PATH")).its("content").should.match("/usr/bin")

    YAML::

        - os_env: PATH
          its: {split: {should_not: {include: "."}}}
    """

    name = "os_env"
    display_name = "Environment variable"

    def __init__(self, variable: str):
        super().__init__()
        self.variable = variable

    @property
    def resource_id(self) -> str:
        return self.variable

    @cached_property
    def content(self) -> str | None:
        """The value, or None when the variable is not set."""
        result = self.target.run("printenv {}", self.variable)
        return result.stdout.rstrip("\n") if result.exit_status == 0 else None

    @property
    def split(self) -> list[str]:
        """The value split on ``:`` (empty entries kept, as they matter in PATH)."""
        return [] if self.content is None else self.content.split(":")
