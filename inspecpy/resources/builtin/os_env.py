"""The ``os_env`` resource: an environment variable on the target."""

from __future__ import annotations

import re
from functools import cached_property

from inspecpy.errors import ResourceSkipped
from inspecpy.resources.base import Resource


_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")


def parse_env(text: str) -> dict[str, str]:
    """``env`` output → name → value (a line that is no ``NAME=`` continues a multi-line value).

    >>> parse_env("PATH=/usr/bin:/bin\\nMOTD=line 1\\nline 2\\n")
    {'PATH': '/usr/bin:/bin', 'MOTD': 'line 1\\nline 2'}
    """
    found: dict[str, str] = {}
    name = None
    for line in text.splitlines():
        match = _ASSIGNMENT.match(line)
        if match:
            name = match.group(1)
            found[name] = match.group(2)
        elif name is not None:
            found[name] += "\n" + line
    return found


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
        """The value, or None when the variable is not set (``printenv``; ``env`` where it is missing,
        as in Debian's static busybox)."""
        result = self.target.run("printenv {}", self.variable)
        if result.exit_status in (0, 1):  # 1: printenv ran, the variable is not set
            return result.stdout.rstrip("\n") if result.exit_status == 0 else None
        listing = self.target.run("env")
        if listing.exit_status != 0:
            raise ResourceSkipped(f"os_env: neither printenv nor env runs on the target: "
                                  f"{result.stderr.strip() or result.exit_status}")
        return parse_env(listing.stdout).get(self.variable)

    @property
    def split(self) -> list[str]:
        """The value split on ``:`` (empty entries kept, as they matter in PATH)."""
        return [] if self.content is None else self.content.split(":")
