"""Waivers: InSpec's waiver files, applied to loaded controls before the run.

A waiver file maps control ids to a ``justification`` (required), ``run``
(default true) and an optional ``expiration_date`` (``YYYY-MM-DD``; the
waiver ends at 00:00 local time on that day). YAML (or JSON) and CSV, as
InSpec reads them::

    check_os_version:
      justification: Kernel upgrade planned for Q3 (@secteam)
      run: false
      expiration_date: 2030-06-30
    check_secure_password_policy:
      justification: Accepted risk, see TICKET-12

Applying them::

    waivers = load_waiver_files(["waivers.yml"])
    for warning in apply_waivers(profiles, waivers):
        print("inspecpy: warning:", warning)

A waived control carries :class:`~inspecpy.results.Waiver` (InSpec's
``waiver_data``); with ``run: false`` the runner does not execute it and
records one skipped result; with ``run: true`` it runs, and its failures do
not fail the run (InSpec's documented behaviour). An expired waiver is
ignored with a warning, and so is a waiver for a control no profile has.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

from inspecpy.yaml_errors import yaml_problem
from inspecpy.errors import WaiverError, read_text_file
from inspecpy.results import Waiver
from inspecpy.profile.model import walk_profiles

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.profile.model import Profile

_KEYS = {"justification", "run", "expiration_date"}
_TRUE, _FALSE = {"true", "yes", "y", "1"}, {"false", "no", "n", "0"}


@dataclass(frozen=True)
class WaiverEntry:
    """One waiver as written in a file."""

    control_id: str
    justification: str
    run: bool = True
    expiration_date: dt.date | None = None
    source: str = ""

    def expired(self, today: dt.date) -> bool:
        """True on and after the expiration date."""
        return self.expiration_date is not None and today >= self.expiration_date

    def waiver(self) -> Waiver:
        """The result object reporters show as ``waiver_data``."""
        return Waiver(
            justification=self.justification, run=self.run,
            expiration_date=self.expiration_date.isoformat() if self.expiration_date else None,
            skipped_due_to_waiver=not self.run, message="",
        )


def _parse_yaml(path: str, text: str) -> dict[str, Any]:
    import yaml

    class Loader(yaml.SafeLoader):
        """Dates stay text, so a wrong one (2030-02-30) is reported by :func:`_date` with its control."""

    def timestamp_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        return loader.construct_scalar(node)

    Loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp_text)
    try:
        data = yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        problem = yaml_problem(path, error)
        raise WaiverError(f"waiver file {problem.where}not valid YAML: {problem.message}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise WaiverError(f"waiver file {path}: must map control ids to waivers "
                          f"(justification, run, expiration_date), got a {type(data).__name__}")
    return {str(k): v for k, v in data.items()}


def _parse_csv(path: str, text: str) -> dict[str, Any]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "control_id" not in reader.fieldnames:
        raise WaiverError(f"waiver file {path}: a CSV waiver file needs a header with control_id, justification")
    out: dict[str, Any] = {}
    for row in reader:
        fields = {k: v for k, v in row.items() if k and k != "control_id" and v not in (None, "")}
        if row.get("control_id"):
            out[row["control_id"].strip()] = fields
    return out


def _bool(where: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).strip().lower() in _TRUE:
        return True
    if str(value).strip().lower() in _FALSE:
        return False
    raise WaiverError(f"{where}'run' must be true/false/yes/no, got {value!r}")


def _date(where: str, value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise WaiverError(f"{where}expiration_date {value!r} is not a date in YYYY-MM-DD format") from None


def parse_waivers(path: str, text: str) -> tuple[list[WaiverEntry], list[str]]:
    """The waivers in *text* (read from *path*) and warnings about unknown keys."""
    data = _parse_csv(path, text) if path.lower().endswith(".csv") else _parse_yaml(path, text)
    entries: list[WaiverEntry] = []
    warnings: list[str] = []
    for control_id, spec in data.items():
        where = f"waiver file {path}: control {control_id!r}: "
        if not isinstance(spec, dict):
            raise WaiverError(f"{where}must be a mapping with at least 'justification', got {spec!r}")
        justification = spec.get("justification")
        if justification is None or not str(justification).strip():
            raise WaiverError(f"{where}'justification' is required")
        unknown = sorted(set(map(str, spec)) - _KEYS)
        if unknown:
            warnings.append(f"{where}unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(_KEYS))})")
        entries.append(WaiverEntry(
            control_id=control_id, justification=str(justification).strip(),
            run=_bool(where, spec.get("run", True)), expiration_date=_date(where, spec.get("expiration_date")),
            source=path,
        ))
    return entries, warnings


def load_waiver_files(paths: Iterable[str]) -> tuple[dict[str, WaiverEntry], list[str]]:
    """Every waiver of *paths* by control id (a later file wins) and the warnings."""
    waivers: dict[str, WaiverEntry] = {}
    warnings: list[str] = []
    for path in paths:
        entries, found = parse_waivers(path, read_text_file(path, "waiver file", WaiverError))
        warnings += found
        waivers.update((e.control_id, e) for e in entries)
    return waivers, warnings


def apply_waivers(profiles: Iterable[Profile], waivers: dict[str, WaiverEntry],
                  today: dt.date | None = None) -> list[str]:
    """Attach each active waiver to its controls (in every profile of the tree); return warnings.

    *profiles* are :class:`~inspecpy.profile.loader.Profile` objects; their dependency
    profiles are waived too, since a waiver names a control id wherever it lives.
    """
    today = today or dt.date.today()
    seen: set[str] = set()
    warnings: list[str] = []
    for profile in walk_profiles(profiles):
        changed = []
        for ctrl in profile.controls:
            entry = waivers.get(ctrl.id)
            if entry is None:
                changed.append(ctrl)
                continue
            seen.add(ctrl.id)
            if entry.expired(today):
                changed.append(ctrl)
                continue
            changed.append(ctrl.with_changes(waiver=entry.waiver()))
        profile.controls[:] = changed
    for control_id, entry in waivers.items():
        if control_id not in seen:
            warnings.append(f"waiver file {entry.source}: no control {control_id!r} in the profiles (waiver ignored)")
        elif entry.expiration_date is not None and entry.expired(today):
            warnings.append(f"waiver file {entry.source}: the waiver of control {control_id!r} expired on "
                            f"{entry.expiration_date.isoformat()}; the control runs as usual")
    return warnings
