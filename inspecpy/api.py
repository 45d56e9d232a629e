"""The library API the command line calls: :func:`execute` (``inspecpy exec``) and :func:`check`.

::

    from inspecpy.api import execute
    outcome = execute(["profiles/example"], reporters=["json:out.json"])
    outcome.exit_code          # 0, 100, 101 as InSpec
    outcome.runs[0].statistics

Everything the command line does around a run lives here once: inputs and
waivers, trust, loading, the checks that must fail before anything runs (a
selection that matches no control, a profile with no controls, a required
input without a value), the fleet, the reports and the exit code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from inspecpy.errors import UsageError
from inspecpy.names import did_you_mean
from inspecpy.profile.archive import Trust
from inspecpy.profile.check import CheckReport, check_profile
from inspecpy.profile.inputs import load_input_file, parse_cli_inputs
from inspecpy.profile.loader import load_profile
from inspecpy.profile.model import Profile, walk_profiles
from inspecpy.profile.waivers import apply_waivers, load_waiver_files
from inspecpy.reporter import ReporterOptions
from inspecpy.results import RunResult, exit_code
from inspecpy.run.fleet import run_fleet
from inspecpy.run.report_output import parse_reporters, write_reports
from inspecpy.run.runner import Selection, selected_controls
from inspecpy.targets.base import TargetOptions

__all__ = ["execute", "check", "Execution", "input_values"]


@dataclass
class Execution:
    """What one :func:`execute` did: the runs (one per target), whether every report was written, the exit code."""

    runs: list[RunResult]
    reports_written: bool
    warnings: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        code = exit_code(self.runs)
        return code if self.reports_written or code == 1 else 1


def input_values(input_files: Sequence[str] = (), inputs: Sequence[str] = ()) -> dict[str, Any]:
    """``--input-file`` values, then ``--input NAME=VALUE`` on top (InSpec's precedence)."""
    values: dict[str, Any] = {}
    for path in input_files:
        values.update(load_input_file(path))
    values.update(parse_cli_inputs(list(inputs)))
    return values


def require_selection(profiles: Sequence[Profile], selection: Selection) -> None:
    """A run that would check nothing is a usage error: no controls at all, or a selection matching none."""
    walked = walk_profiles(list(profiles))
    every = [c.id for p in walked for c in p.controls]
    if any(p.errors for p in walked):
        return  # the load errors are reported and make the exit code 1
    if not every:
        names = ", ".join(p.name for p in profiles)
        raise UsageError(f"profile {names} has no controls: nothing would be checked "
                         f"(add controls/*.py or controls/*.yml)")
    if any(selected_controls(p, selection) for p in walked):
        return
    asked = [*(f"--controls {c}" for c in selection.controls), *(f"--tags {t}" for t in selection.tags)]
    hint = "".join(did_you_mean(c, every) for c in selection.controls[:1])
    raise UsageError(f"{' '.join(asked)} matched no control{hint} (the profiles have: "
                     f"{', '.join(every[:10])}{', …' if len(every) > 10 else ''})")


def execute(profiles: Sequence[str], targets: Sequence[str] = ("local://",), *,
            options: TargetOptions | None = None, selection: Selection | None = None,
            inputs: dict[str, Any] | None = None, waiver_files: Sequence[str] = (),
            reporters: Sequence[str] = ("cli",), reporter_options: ReporterOptions | None = None,
            trust: Trust | None = None, jobs: int | None = None, cluster: str | None = None,
            cluster_tls: Any = None, warn: Callable[[str], None] = lambda message: None) -> Execution:
    """Run *profiles* against *targets*, write the reports, and say how it went.

    *warn* hears one line per warning and load error (the command line prints
    them on stderr). Usage errors (unknown reporter, a selection matching
    nothing) raise before any target is touched. *cluster* (``dask://HOST:PORT``,
    ``tls://HOST:PORT``, ``local:N``) runs the targets on Dask workers, with
    *cluster_tls* (a :class:`~inspecpy.run.dask_fleet.ClusterTls`) for ``tls://``.
    """
    selection = selection or Selection()
    specs = parse_reporters(list(reporters), reporter_options or ReporterOptions())
    waivers, warnings = load_waiver_files(list(waiver_files))
    on = None
    if cluster:
        from inspecpy.run.dask_fleet import DaskCluster

        on = DaskCluster(cluster, tls=cluster_tls, inputs=inputs, waivers=waivers, trust=trust, jobs=jobs)
    loaded = [load_profile(path, inputs, trust=trust) for path in profiles]
    warnings += apply_waivers(loaded, waivers)
    require_selection(loaded, selection)
    for profile in walk_profiles(loaded):
        if profile.parent is None or profile.controls:  # a dependency that runs nothing needs no inputs
            profile.inputs.check_required()
    for warning in warnings:
        warn(f"warning: {warning}")
    for profile in walk_profiles(loaded):
        for problem in profile.errors:
            warn(f"error: {problem}")
    runs = run_fleet(loaded, list(targets) or ["local://"], options or TargetOptions(), selection, jobs=jobs,
                     listeners=[s.reporter for s in specs], cluster=on)
    for run in runs:
        if run.error:
            warn(f"error: {run.target}: {run.error}")
    return Execution(runs=runs, reports_written=write_reports(specs, runs), warnings=warnings)


def check(profile: str, trust: Trust | None = None) -> CheckReport:
    """Validate the profile (folder or archive) at *profile* without running it."""
    report, _ = check_profile(profile, trust)
    return report


def color_wanted(interactive: bool, no_color: bool) -> bool:
    """Colour on a terminal, unless ``--no-color`` or ``NO_COLOR`` says otherwise."""
    return interactive and not no_color and "NO_COLOR" not in os.environ
