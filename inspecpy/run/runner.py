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
from typing import Callable, Iterable, Protocol

from inspecpy import __version__
from inspecpy.dsl.controls import Control
from inspecpy.dsl.recording import Recorder, error_result, now_iso, recording
from inspecpy.errors import ControlSkipped, ResourceSkipped, TargetError, UsageError
from inspecpy.profile.inputs import using_inputs
from inspecpy.profile.loader import Profile, walk_profiles
from inspecpy.results import SKIPPED, ControlResult, Group, ProfileResult, RunResult, TestResult
from inspecpy.targets import using_target
from inspecpy.targets.base import Target

ControlListener = Callable[[str, ControlResult], None]


class RunListener(Protocol):
    """What follows a run live (a reporter does): the number of controls to run, then each one done."""

    def on_run_start(self, target: str, total_controls: int) -> None: ...

    def on_control_done(self, target: str, control: ControlResult) -> None: ...


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


def run_control(ctrl: Control, secrets: list[str]) -> ControlResult:
    """Run one control's checks (in the current target's context) and collect its results.

    A control waived with ``run: false`` is not executed: one skipped result
    carries the waiver's justification.
    """
    recorder = Recorder(secrets=secrets)
    started, start_time = time.perf_counter(), now_iso()
    if ctrl.waiver is not None and not ctrl.waiver.run:
        recorder.add(TestResult(status=SKIPPED, code_desc=f"Control {ctrl.id}", start_time=start_time,
                                skip_message=f"Skipped control due to waiver condition: {ctrl.waiver.justification}"))
    else:
        _execute(ctrl, recorder, started, start_time)
    return ControlResult(
        id=ctrl.id, title=ctrl.title, desc=ctrl.desc, impact=ctrl.impact, tags=dict(ctrl.tags),
        refs=tuple(ctrl.refs), descriptions=ctrl.descriptions, code=ctrl.code,
        source_location=ctrl.source_location, results=tuple(recorder.results), waiver=ctrl.waiver,
    )


def _execute(ctrl: Control, recorder: Recorder, started: float, start_time: str) -> None:
    with recording(recorder):
        try:
            if ctrl.only_if is not None and not ctrl.only_if():
                raise ControlSkipped(f"Skipped control due to only_if condition: {ctrl.only_if_message}")
            ctrl.body()
        except (ControlSkipped, ResourceSkipped) as skipped:
            recorder.add(TestResult(status=SKIPPED, code_desc=f"Control {ctrl.id}", skip_message=str(skipped),
                                    run_time=time.perf_counter() - started, start_time=start_time))
        except Exception as error:  # a bug or an unreachable probe: an error result, and the run goes on
            recorder.add(error_result(f"Control {ctrl.id}", error, started, start_time))
    if not recorder.results:
        recorder.add(TestResult(status=SKIPPED, code_desc=f"Control {ctrl.id}", skip_message="No tests executed.",
                                start_time=start_time))


def _supported(profile: Profile, target: Target) -> str | None:
    """None when the profile supports the target, else why not."""
    supports = profile.metadata.get("supports") or []
    if not supports:
        return None
    platform = target.platform
    for entry in supports:
        if not isinstance(entry, dict):
            continue
        wanted = [str(entry.get(k)) for k in ("platform-family", "platform-name", "platform", "os-family", "os-name")
                  if entry.get(k)]
        if any(w in ("unix", "os") or platform.in_family(w) or w == platform.name for w in wanted):
            release = entry.get("release")
            if release is None or str(platform.release).startswith(str(release).rstrip("*").rstrip(".")):
                return None
    return f"Skipping profile: '{profile.name}' on unsupported platform: '{platform.name}/{platform.release}'."


def run_profile(profile: Profile, target: Target, selection: Selection,
                on_control: ControlListener | None = None) -> ProfileResult:
    """Run the selected controls of *profile* against *target*."""
    controls: list[ControlResult] = []
    unsupported = _supported(profile, target)
    if unsupported is None:
        secrets = profile.inputs.sensitive_values()
        with using_target(target), using_inputs(profile.inputs):
            for ctrl in selected_controls(profile, selection):
                result = run_control(ctrl, secrets)
                controls.append(result)
                if on_control:
                    on_control(target.name, result)
    meta = profile.metadata
    text = lambda key: None if meta.get(key) is None else str(meta[key])  # noqa: E731
    selected = {c.id for c in controls}
    return ProfileResult(
        name=profile.name, title=text("title"), version=text("version"), maintainer=text("maintainer"),
        summary=text("summary"), license=text("license"), copyright=text("copyright"),
        copyright_email=text("copyright_email"), supports=tuple(meta.get("supports") or ()),
        depends=tuple(meta.get("depends") or ()), sha256=profile.sha256, inputs=profile.inputs.report(),
        groups=tuple(Group(g.id, g.title, tuple(i for i in g.controls if i in selected))
                     for g in profile.groups),
        controls=tuple(controls), status="skipped" if unsupported else "loaded",
        status_message=unsupported or "", errors=tuple(profile.errors), parent_profile=profile.parent,
    )


def run_target(profiles: Iterable[Profile], target: Target, selection: Selection,
               listener: RunListener | None = None) -> RunResult:
    """Run every profile against one target; an unreachable target gives ``error``.

    *listener* hears the number of controls that will run (the selected ones of
    every supported profile, dependencies included) before the first starts,
    then each control as it finishes.
    """
    started, start_time = time.perf_counter(), now_iso()
    profiles = list(profiles)
    try:
        platform = target.platform
    except TargetError as error:
        return RunResult(target=target.name, platform=None, profiles=(), duration=time.perf_counter() - started,
                         version=__version__, start_time=start_time, error=str(error))
    walked = walk_profiles(profiles)
    on_control = None
    if listener is not None:
        listener.on_run_start(target.name, sum(len(selected_controls(p, selection)) for p in walked
                                               if _supported(p, target) is None))
        on_control = listener.on_control_done
    results = tuple(run_profile(p, target, selection, on_control) for p in walked)
    return RunResult(target=target.name, platform=platform, profiles=results,
                     duration=time.perf_counter() - started, version=__version__, start_time=start_time)
