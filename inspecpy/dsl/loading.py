"""The Python DSL: ``@control``, ``describe(...).its(...).should.<matcher>(...)``.

Example::

    from inspecpy import control, describe, input
    from inspecpy.resources import file

    @control("login-defs", impact="medium", title="Password policy")
    def _():
        defs = file("/etc/login.defs")
        describe(defs).should.exist()
        describe(defs).its("mode").should.cmp("0644")

Each ``should``/``should_not`` call records one test result and never raises,
so one failing check never stops the control.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Callable, ContextManager

from inspecpy.context import bound
from inspecpy.profile.dependencies import include_controls, require_controls
from inspecpy.errors import ControlSkipped, InputError
from inspecpy.dsl.expect import Describe, Expectation, describe
from inspecpy.profile.inputs import _MISSING, current_inputs
from inspecpy.results import SourceLocation
from inspecpy.dsl.controls import Control, condition_text, impact_value, normalise_tags



@dataclass
class Collector:
    """Gathers the controls a control file registers while it is imported."""

    group: str = ""
    profile: str = ""
    controls: list[Control] = field(default_factory=list)


_collector: ContextVar[Collector | None] = ContextVar("inspecpy_collector", default=None)
STANDALONE = Collector(group="(standalone)")


def collecting(collector: Collector) -> ContextManager[Collector]:
    return bound(_collector, collector)


def current_collector() -> Collector:
    return _collector.get() or STANDALONE


def register_control(ctrl: Control) -> Control:
    collector = current_collector()
    ctrl.group = ctrl.group or collector.group
    ctrl.profile = ctrl.profile or collector.profile
    collector.controls.append(ctrl)
    return ctrl


def control(id: str, impact: float | str = 0.5, title: str | None = None, desc: str | None = None,
            tags: Any = None, refs: Any = None, descriptions: dict[str, str] | None = None,
            only_if: Callable[[], Any] | None = None, only_if_message: str | None = None
            ) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register the decorated function as control *id* (it runs later, in the runner)."""
    def decorate(body: Callable[[], Any]) -> Callable[[], Any]:
        code_obj = body.__code__
        where = f"{code_obj.co_filename}:{code_obj.co_firstlineno}: control {id!r}: "
        try:
            import inspect

            code = inspect.getsource(body)
        except (OSError, TypeError):
            code = ""
        register_control(Control(
            id=str(id), body=body, title=title, desc=desc, impact=impact_value(impact, where),
            tags=normalise_tags(tags), refs=tuple(refs or ()),
            descriptions=tuple((descriptions or {}).items()),
            only_if=only_if, only_if_message=only_if_message or (condition_text(only_if) if only_if else None),
            source_location=SourceLocation(code_obj.co_filename, code_obj.co_firstlineno), code=code,
        ))
        return body

    return decorate


def input(name: str, value: Any = _MISSING) -> Any:  # noqa: A001 - InSpec's name
    """The value of input *name* (``value`` is the default when nobody set it)."""
    return current_inputs().get(name, value)


def profile_file(name: str, _depth: int = 1) -> str:
    """The absolute path of *name* in the calling profile's ``files/`` folder.

    ``model(profile_file("model.npz"))`` reads the demo model a profile ships;
    the profile is the one whose control or library file makes the call.
    """
    import os
    import sys

    caller = sys._getframe(_depth).f_globals.get("__file__") or os.getcwd()
    folder = os.path.dirname(os.path.abspath(caller))
    while not os.path.isfile(os.path.join(folder, "inspec.yml")):
        parent = os.path.dirname(folder)
        if parent == folder:
            raise InputError(f"profile_file({name!r}): {caller} is not inside a profile")
        folder = parent
    return os.path.join(folder, "files", name)


def skip(reason: str = "Skipped control") -> None:
    """Skip the running control with *reason* (raises; nothing after it runs)."""
    raise ControlSkipped(reason)


__all__ = ["control", "describe", "input", "skip", "include_controls", "require_controls", "profile_file",
           "Describe", "Expectation", "InputError"]
