"""What control files call besides checks: ``input``, ``profile_file``, ``include_controls``.

::

    from inspecpy import control, describe, input, include_controls
    include_controls("base", skip=["base-03"])          # recorded while the profile loads
    MAX_DAYS = input("max_days", value=90)              # the input's value, or the default

The loader (:mod:`inspecpy.profile.loader`) checks each inclusion against the
profile's dependencies once the file has loaded.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any, Iterable

from inspecpy.context import current_inputs, current_load
from inspecpy.dsl.controls import impact_value
from inspecpy.errors import InputError, ProfileError, Where

_MISSING = object()


def input(name: str, value: Any = _MISSING) -> Any:  # noqa: A001 - InSpec's name
    """The value of input *name* (``value`` is the default when nobody set it).

    >>> input("threshold", value=3)
    3
    """
    inputs = current_inputs()
    if inputs is not None:
        return inputs.get(name) if value is _MISSING else inputs.get(name, value)
    if value is _MISSING:
        raise InputError(f"input '{name}' has no value (no profile is loaded or running)")
    return value


def profile_file(name: str, _depth: int = 1) -> str:
    """*name* in the calling profile's ``files/`` folder, read from the profile wherever the target is.

    ``model(profile_file("model.npz"))`` reads the demo model a profile ships,
    even over SSH (a :class:`~inspecpy.targets.profile_files.ProfileFile`); the profile
    is the one whose control or library file makes the call.
    """
    caller = sys._getframe(_depth).f_globals.get("__file__") or os.getcwd()
    folder = os.path.dirname(os.path.abspath(caller))
    while not os.path.isfile(os.path.join(folder, "inspec.yml")):
        parent = os.path.dirname(folder)
        if parent == folder:
            raise InputError(f"profile_file({name!r}): {caller} is not inside a profile")
        folder = parent
    from inspecpy.targets.profile_files import ProfileFile

    return ProfileFile(folder, os.path.join("files", name))


@dataclass(frozen=True)
class Inclusion:
    """One ``include_controls`` / ``require_controls`` call, and where it was made."""

    profile: str
    verb: str
    where: Where
    only: frozenset[str] | None = None  # require_controls: exactly these ids
    skip: frozenset[str] = frozenset()
    impact: dict[str, float] = field(default_factory=dict)

    def keeps(self, control_id: str) -> bool:
        return control_id not in self.skip and (self.only is None or control_id in self.only)

    def named_ids(self) -> set[str]:
        """Every control id the call names (each must exist in the dependency)."""
        return set(self.skip) | set(self.impact) | set(self.only or ())


def add_inclusion(inclusion: Inclusion) -> None:
    """Record *inclusion* in the profile being loaded."""
    load = current_load()
    if load is None:
        raise ProfileError(inclusion.where, f"{inclusion.verb}() works only in a profile's control files")
    load.inclusions.append(inclusion)


def impacts(where: Where, impact: dict[str, Any] | None) -> dict[str, float]:
    """``{control id: impact}`` with every impact checked (numbers or InSpec's names)."""
    return {str(k): impact_value(v, where, f"control {k!r}: ") for k, v in (impact or {}).items()}


def _caller() -> Where:
    frame = sys._getframe(2)  # the control file that called include_controls / require_controls
    return Where(frame.f_code.co_filename, frame.f_lineno)


def include_controls(profile: str, skip: Iterable[str] = (), impact: dict[str, Any] | None = None) -> None:
    """Run every control of dependency *profile*, except *skip*, with *impact* overrides.

    >>> include_controls("base", skip=["base-03"], impact={"base-01": 0.3})  # doctest: +SKIP
    """
    where = _caller()
    add_inclusion(Inclusion(str(profile), "include_controls", where, skip=frozenset(map(str, skip)),
                            impact=impacts(where, impact)))


def require_controls(profile: str, controls: Iterable[str], impact: dict[str, Any] | None = None) -> None:
    """Run only *controls* (ids) of dependency *profile*.

    >>> require_controls("ssh", ["ssh-01", "ssh-04"])  # doctest: +SKIP
    """
    where = _caller()
    if isinstance(controls, str):
        controls = [controls]
    add_inclusion(Inclusion(str(profile), "require_controls", where, only=frozenset(map(str, controls)),
                            impact=impacts(where, impact)))
