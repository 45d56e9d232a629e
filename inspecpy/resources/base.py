"""The resource base class: what to ask a target and how to read the answer.

A resource resolves the current target when it is created, probes lazily
(``functools.cached_property``) and keeps parsing a pure function of the
probe's output. Example of a custom resource (in a profile's ``libraries/``)::

    from functools import cached_property
    from inspecpy.resources.base import Resource

    class Motd(Resource):
        '''The message of the day.

        Python: ``describe(motd()).its("content").should.match("Authorized")``
        YAML:   ``- motd: null``
        '''
        name = "motd"

        @cached_property
        def content(self) -> str:
            return self.target.read_text("/etc/motd")
"""

from __future__ import annotations

import inspect
from functools import cached_property
from typing import Any, ClassVar

from inspecpy.errors import ResourceSkipped, TargetError
from inspecpy.targets import current_target


class Resource:
    """Base of every resource. Subclasses set ``name`` and implement properties.

    ``supports`` lists platform families (``linux``, ``debian``, ``unix``…);
    empty means any. ``resource_id`` names the instance (a path, a command).
    """

    name: ClassVar[str] = ""
    display_name: ClassVar[str] = ""
    supports: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        self.target = current_target()

    @property
    def resource_id(self) -> str:
        """The path, command or key this resource is about (for ``code_desc``)."""
        return ""

    def check_supported(self) -> None:
        """Raise ResourceSkipped when the target's platform is not supported."""
        if not self.supports:
            return
        platform = self.target.platform
        if not any(platform.in_family(f) for f in self.supports):
            raise ResourceSkipped(
                f"Resource {self.name} is not supported on platform "
                f"{platform.name}/{platform.release}"
            )

    @classmethod
    def title(cls) -> str:
        """How the resource names itself in ``code_desc`` (``File``, ``Command``)."""
        return cls.display_name or cls.name.replace("_", " ").title().replace(" ", "")

    def __str__(self) -> str:
        rid = self.resource_id
        return f"{self.title()} {rid}" if rid != "" else self.title()

    def __repr__(self) -> str:
        return f"{self.name}({self.resource_id!r})"

    @classmethod
    def attribute_names(cls) -> list[str]:
        """The public properties of this resource (for the shell and ``help``)."""
        names = []
        for klass in cls.__mro__:
            if klass is Resource or klass is object:
                continue
            for attr, value in vars(klass).items():
                if attr.startswith("_") or attr in names:
                    continue
                if isinstance(value, (property,)) or type(value).__name__ == "cached_property":
                    names.append(attr)
        return sorted(names)

    def attributes(self) -> dict[str, Any]:
        """Every public property's value (errors shown as text), for display."""
        values: dict[str, Any] = {}
        for attr in self.attribute_names():
            try:
                values[attr] = getattr(self, attr)
            except Exception as error:  # shown to a person, never judged
                values[attr] = f"<error: {error}>"
        return values

    @classmethod
    def example(cls) -> str:
        """The class docstring (holds a Python and a YAML example)."""
        return inspect.getdoc(cls) or ""


class PathResource(Resource):
    """A resource about one path of the target: ``path``, ``exists`` and one cached ``stat``.

    ``default_path`` is used when no path is given (``login_defs()`` reads
    ``/etc/login.defs``)::

        class Motd(PathResource):
            name = "motd"
            default_path = "/etc/motd"
    """

    default_path: ClassVar[str] = ""

    def __init__(self, path: str | None = None):
        super().__init__()
        self.path = str(path or self.default_path)

    @property
    def resource_id(self) -> str:
        return self.path

    @cached_property
    def _stat(self):
        stat = self.target.stat(self.path)
        if stat.error:
            raise TargetError(stat.error)
        return stat

    @property
    def exists(self) -> bool:
        """True when the path exists (a dangling symlink exists too)."""
        return self._stat.exists
