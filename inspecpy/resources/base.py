"""The resource base class: what to ask a target and how to read the answer.

A resource is bound to a target when it is *probed*, not when it is built:
``self.target`` is the target of the control that is running, so a resource
made at module level in a control file answers for whichever target the
control runs on. ``@probe`` caches an answer per target, so one instance
shared by a fleet never answers for the wrong host. Parsing stays a pure
function of the probe's output. Example of a custom resource (in a
profile's ``libraries/``)::

    from inspecpy.resources.base import Resource, probe

    class Motd(Resource):
        '''The message of the day.

        Python: ``describe(motd()).its("content").should.match("Authorized")``
        YAML:   ``- motd: null``
        '''
        name = "motd"

        @probe
        def content(self) -> str:
            return self.target.read_text("/etc/motd")

What a control can reach is what the class declares (:mod:`inspecpy.members`):
public properties and probes are attributes, public methods are predicates
(``readable_by`` serves ``be_readable_by``).
"""

from __future__ import annotations

import functools
import inspect
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Generic, TypeVar, overload

from inspecpy import members
from inspecpy.errors import ResourceSkipped, TargetError
from inspecpy.targets import current_target

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.targets.base import FileStat, Target

T = TypeVar("T")


class probe(Generic[T]):
    """A resource attribute computed once per target (``functools.cached_property``, per target).

    The value is kept in the resource, keyed by the target it was computed
    on; nothing is locked, so threads probing different targets never wait
    for each other (two threads on one target may both compute it once)::

        @probe
        def content(self) -> str:
            return self.target.read_text(self.path)
    """

    def __init__(self, func: Callable[[Any], T]):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__
        functools.update_wrapper(self, func)  # type: ignore[arg-type]

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> "probe[T]": ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        answers = instance.probed_on(instance.target)
        if self.name not in answers:
            answers[self.name] = self.func(instance)
        return answers[self.name]


class Resource:
    """Base of every resource. Subclasses set ``name`` and declare attributes.

    ``supports`` lists platform families (``linux``, ``debian``, ``unix``…);
    empty means any. ``resource_id`` names the instance (a path, a command).
    ``keyed = True`` lets ``its("KEY")`` read :meth:`value_of` for a key the
    class does not declare (config files: ``its("PASS_MAX_DAYS")``).
    """

    name: ClassVar[str] = ""
    display_name: ClassVar[str] = ""
    supports: ClassVar[tuple[str, ...]] = ()
    keyed: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A ``functools.cached_property`` of a resource is cached per target too."""
        super().__init_subclass__(**kwargs)
        for attr, value in list(vars(cls).items()):
            if isinstance(value, functools.cached_property):
                replacement: probe[Any] = probe(value.func)
                replacement.name = attr
                setattr(cls, attr, replacement)

    @property
    def target(self) -> "Target":
        """The target being checked: the running control's (see :func:`inspecpy.targets.current_target`)."""
        return current_target()

    def probed_on(self, target: "Target") -> dict[str, Any]:
        """The probe answers this resource has computed on *target* (for :class:`probe`)."""
        per_target = self.__dict__.setdefault("_answers", {})
        return per_target.setdefault(target, {})

    @property
    def resource_id(self) -> str:
        """The path, command or key this resource is about (for ``code_desc``)."""
        return ""

    def require_supported(self) -> None:
        """Raise ResourceSkipped when the target's platform is not supported."""
        if not self.supports:
            return
        platform = self.target.platform
        if not any(platform.in_family(f) for f in self.supports):
            raise ResourceSkipped(
                f"Resource {self.name} is not supported on platform "
                f"{platform.name}/{platform.release}"
            )

    def value_of(self, key: str) -> Any:
        """For ``keyed`` resources: the value at *key* (``None`` when not set, as in InSpec)."""
        raise members.UnknownMember(f"{self.name} has no key {key!r}")

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
        """The attributes this resource declares (for ``its``, predicates, the shell and ``help``)."""
        return members.attribute_names(cls)

    @classmethod
    def method_names(cls) -> list[str]:
        """The public methods this resource declares (``readable_by``, ``where``, ``evaluate``)."""
        return members.method_names(cls)

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

    A :class:`~inspecpy.targets.profile_files.ProfileFile` path (``profile_file(...)``)
    is read from the profile, wherever the target is; with
    ``relative_to_profile`` (``model``, ``dataset``) a relative path given
    inside a profile's control is one too.
    """

    default_path: ClassVar[str] = ""
    path: str
    relative_to_profile: ClassVar[bool] = False

    def __init__(self, path: str | None = None):
        from inspecpy.targets.profile_files import ProfileFile, profile_path

        super().__init__()
        path = path or self.default_path
        if self.relative_to_profile:
            path = profile_path(path)
        self.path = path if isinstance(path, ProfileFile) else str(path)

    @property
    def target(self) -> "Target":
        """The profile's own files for a profile file, else the target being checked."""
        from inspecpy.targets.profile_files import target_of

        return target_of(self.path, current_target())

    @property
    def resource_id(self) -> str:
        return self.path

    @probe
    def _stat(self) -> "FileStat":
        stat = self.target.stat(self.path)
        if stat.error:
            raise TargetError(stat.error)
        return stat

    @property
    def exists(self) -> bool:
        """True when the path exists (a dangling symlink exists too)."""
        return self._stat.exists


def read_path(subject: Any, path: "list[str] | tuple[str, ...]") -> Any:
    """What ``its("a.b")`` reads: keys of mappings, indexes of lists, attributes the subject declares.

    A ``keyed`` resource also answers keys it does not declare as attributes
    (``its("PASS_MAX_DAYS")`` of ``login_defs()``); a key missing at any depth
    reads ``None``, as InSpec's ``params.dig`` does (``its("server.tls.port")``
    of a file without ``server``); a method is called with no arguments
    (``its("evaluate")``)::

        read_path(file("/etc/passwd"), ["mode"])     # 420
    """
    if isinstance(subject, Resource):
        subject.require_supported()
    value, keyed = subject, False
    for part in path:
        if value is None and keyed:
            return None
        if isinstance(value, dict):
            value, keyed = value.get(part), True
        elif isinstance(value, (list, tuple)) and (part.isdigit() or part.startswith("-") and part[1:].isdigit()):
            value = value[int(part)]
        elif isinstance(value, Resource) and value.keyed and not members.declares(value, part):
            value, keyed = value.value_of(part), True
        else:
            keyed = False
            found = members.member(value, part)
            value = found() if callable(found) and not isinstance(found, type) else found
    return value
