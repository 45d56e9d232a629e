"""The runner: selects controls, runs them against a target, builds the results.

Selection happens before anything runs, so a filtered-out control never
touches the target::

    selection = Selection(controls=["/^ssh-/"], tags=["cis"])
    run = run_target([profile], LocalTarget("local://"), selection)
    run.statistics.failed
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, Iterable

from inspecpy.version import __version__
from inspecpy.context import Inputs, RunContext, running
from inspecpy.dsl.controls import Control, only_if_skip_message
from inspecpy.dsl.recording import Recorder
from inspecpy.errors import ControlSkipped, ResourceSkipped, TargetError, UsageError
from inspecpy.profile.model import Profile, walk_profiles
from inspecpy.results import SKIPPED, ControlResult, Group, ProfileResult, RunResult, TestResult, error_result, now_iso
from inspecpy.targets import current_target
from inspecpy.targets.base import Target


@dataclass
class Selection:
    """``--controls`` (ids or ``/regex/``) and ``--tags``; empty means everything."""

    controls: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._patterns: list[re.Pattern] = []
        self._ids: set[str] = set()
        for item in self.controls:
            if len(item) >= 2 and item.startswith("/") and item.endswith("/"):
                try:
                    self._patterns.append(re.compile(item[1:-1]))
                except re.error as error:
                    raise UsageError(f"--controls {item}: not a valid regular expression: {error}") from None
            else:
                self._ids.add(item)

    def selects(self, ctrl: Control) -> bool:
        if self.controls and not (ctrl.id in self._ids or any(p.search(ctrl.id) for p in self._patterns)):
            return False
        return not self.tags or any(ctrl.has_tag(t) for t in self.tags)


def selected_controls(profile: Profile, selection: Selection) -> list[Control]:
    """The controls of *profile* that *selection* keeps, in the profile's order."""
    return [ctrl for ctrl in profile.controls if selection.selects(ctrl)]


def run_control(ctrl: Control, target: Target | None = None, inputs: Inputs | None = None,
                secrets: list[str] | None = None, folder: str = "") -> ControlResult:
    """Run one control's checks on *target* (default: the current one) and collect its results.

    *folder* is the profile's: a relative ``model()``/``dataset()`` path is its file.

    A control waived with ``run: false`` is not executed: one skipped result
    carries the waiver's justification.
    """
    recorder = Recorder(secrets=list(secrets or ()))
    started, start_time = time.perf_counter(), now_iso()
    if ctrl.waiver is not None and not ctrl.waiver.run:
        recorder.add(TestResult(status=SKIPPED, code_desc=f"Control {ctrl.id}", start_time=start_time,
                                skip_message=f"Skipped control due to waiver condition: {ctrl.waiver.justification}"))
    else:
        with running(RunContext(target or current_target(), inputs, recorder, folder)):
            _execute(ctrl, recorder, started, start_time)
    return ControlResult(
        id=ctrl.id, title=ctrl.title, desc=ctrl.desc, impact=ctrl.impact, tags=dict(ctrl.tags),
        refs=tuple(ctrl.refs), descriptions=ctrl.descriptions, code=ctrl.code,
        source_location=ctrl.source_location, results=tuple(recorder.results), waiver=ctrl.waiver,
    )


def _execute(ctrl: Control, recorder: Recorder, started: float, start_time: str) -> None:
    try:
        if ctrl.only_if is not None and not ctrl.only_if():
            raise ControlSkipped(only_if_skip_message(ctrl.only_if_message))
        ctrl.body()
    except (ControlSkipped, ResourceSkipped) as skipped:
        recorder.open_expectations.clear()
        recorder.add(TestResult(status=SKIPPED, code_desc=f"Control {ctrl.id}", skip_message=str(skipped),
                                run_time=time.perf_counter() - started, start_time=start_time))
    except Exception as error:  # a bug or an unreachable probe: an error result, and the run goes on
        recorder.open_expectations.clear()
        recorder.add(error_result(f"Control {ctrl.id}", error, started, start_time))
    recorder.close_open()
    if not recorder.results:
        recorder.add(TestResult(status=SKIPPED, code_desc=f"Control {ctrl.id}", skip_message="No tests executed.",
                                start_time=start_time))


def _supported(profile: Profile, target: Target) -> str | None:
    """None when the profile supports the target, else why not."""
    return profile.metadata.unsupported_on(target.platform)


def run_profile(profile: Profile, target: Target, selected: list[Control], unsupported: str | None = None,
                events: Any = None) -> ProfileResult:
    """Run the *selected* controls of *profile* against *target*, none when it is *unsupported* there (why);
    *events* hears each control done."""
    controls: list[ControlResult] = []
    if unsupported is None:
        secrets = profile.inputs.sensitive_values()
        for ctrl in selected:
            result = run_control(ctrl, target, profile.inputs, secrets, folder=profile.path)
            controls.append(result)
            if events is not None:
                events.inspecpy_control_done(target=target.name, control=result)
    meta = profile.metadata
    ran = {c.id for c in controls}
    return ProfileResult(
        name=profile.name, title=meta.text("title"), version=meta.version, maintainer=meta.text("maintainer"),
        summary=meta.text("summary"), license=meta.text("license"), copyright=meta.text("copyright"),
        copyright_email=meta.text("copyright_email"), supports=meta.supports,
        depends=meta.depends, sha256=profile.sha256, inputs=profile.inputs.report(),
        groups=tuple(Group(g.id, g.title, tuple(i for i in g.controls if i in ran))
                     for g in profile.groups),
        controls=tuple(controls), status="skipped" if unsupported else "loaded",
        status_message=unsupported or "", errors=tuple(str(e) for e in profile.errors),
        parent_profile=profile.parent,
    )


def run_target(profiles: Iterable[Profile], target: Target, selection: Selection, events: Any = None) -> RunResult:
    """Run every profile against one target; an unreachable target gives ``error``.

    *events* (the hooks of :mod:`inspecpy.run.events`) hears the number of
    controls that will run (the selected ones of every supported profile,
    dependencies included) before the first starts, then each control as it
    finishes.
    """
    started, start_time = time.perf_counter(), now_iso()
    profiles = list(profiles)
    try:
        platform = target.platform
    except TargetError as error:
        return RunResult.failed(target.name, str(error), time.perf_counter() - started)
    # each profile, dependencies included: why it does not support the target (None: it does), its selected controls
    plan: list[tuple[Profile, str | None, list[Control]]] = []
    for profile in walk_profiles(profiles):
        unsupported = _supported(profile, target)
        plan.append((profile, unsupported, selected_controls(profile, selection) if unsupported is None else []))
    if events is not None:
        events.inspecpy_run_start(target=target.name, total_controls=sum(len(selected) for _, _, selected in plan))
    results = tuple(run_profile(p, target, selected, unsupported, events) for p, unsupported, selected in plan)
    return RunResult(target=target.name, platform=platform, profiles=results,
                     duration=time.perf_counter() - started, version=__version__, start_time=start_time)
