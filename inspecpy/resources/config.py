"""A base for resources whose answer is a mapping of keys (config files, JSON).

``its("PASS_MAX_DAYS")`` reads a key (a missing key is ``None``, as in
InSpec); in Python, ``login_defs().value("PASS_MAX_DAYS")`` or ``.params``.
Keys are not attributes: a predicate matcher never reaches them, so
``describe(login_defs()).should.be_writable_by("other")`` is an error, not a
silent pass.
"""

from __future__ import annotations

from typing import Any

from inspecpy.errors import ResourceFailed
from inspecpy.resources.base import PathResource, probe


class ConfigResource(PathResource):
    """A resource backed by one file parsed into :attr:`params`."""

    keyed = True

    @probe
    def content(self) -> str:
        """The file's text."""
        return self.target.read_text(self.path)

    @probe
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

    def value_of(self, key: str) -> Any:
        """``its(KEY)``: the key's value, ``None`` when the file does not set it."""
        return self.value(key)
