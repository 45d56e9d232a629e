"""A base for resources whose answer is a mapping of keys (config files, JSON).

Keys read as attributes, so ``login_defs().PASS_MAX_DAYS`` and
``its("PASS_MAX_DAYS")`` both work; a missing key is ``None`` as in InSpec.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from inspecpy.errors import ResourceFailed
from inspecpy.resources.base import PathResource


class ConfigResource(PathResource):
    """A resource backed by one file parsed into :attr:`params`."""

    @cached_property
    def content(self) -> str:
        """The file's text."""
        return self.target.read_text(self.path)

    @cached_property
    def params(self) -> dict:
        """The parsed file (override :meth:`parse`)."""
        if not self.target.stat(self.path).exists:
            raise ResourceFailed(f"no such file: {self.path}")
        return self.parse(self.content)

    def parse(self, text: str) -> dict:
        raise NotImplementedError

    def value(self, key: str | list) -> Any:
        """The value at *key*, or at a path of keys."""
        value: Any = self.params
        for part in ([key] if isinstance(key, str) else key):
            value = value.get(part) if isinstance(value, dict) else None
        return value

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_") or key in ("params", "content", "exists"):
            raise AttributeError(key)
        return self.params.get(key)
