"""The ``html`` reporter: one self-contained, filterable page (no network, no external file).

Example::

    inspecpy exec my-profile --reporter html:report.html

The page shows the run summary (target, platform, duration, counts), a chart
of passed/failed/waived/skipped controls by impact, filters by status, impact,
tag, target and free text, and every control expandable with its tests,
messages, code and refs — failures first, then waived ones, then the rest in
profile order. A fleet run (several targets) also shows a control × target
matrix, controls failing somewhere first; a cell opens that control on that
target. Statuses follow the one waiver rule (:func:`inspecpy.results.shown_status`).

How it stays safe and fast at 10,000+ controls: the summary and chart are
rendered server-side by Jinja2 with autoescape on; the controls travel as
JSON inside ``<script type="application/json">`` (``<``, ``>`` and ``&``
written as ``\\u003c`` …, so no text can close the element) and the page's
one script builds rows with ``textContent`` only, a page of rows at a time,
and a control's details only when it is opened. A Content-Security-Policy
allows no network and only that script (by its hash), so even a title like
``<script>…</script>`` can run nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from inspecpy.version import __version__
from inspecpy.hookspecs import hookimpl
from inspecpy.reporter import Reporter
from inspecpy.results import (ERROR, FAILED, PASSED, SKIPPED, WAIVED, ControlResult, RunResult, TestResult,
                              counted_status, shown_counts, shown_result_status, shown_status)

from inspecpy.reporters._common import IMPACT_BANDS, impact_name, tag_labels, utf8

TEMPLATES = Path(__file__).parent / "templates"
_JSON_IN_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
#: the order controls are listed in: failures (and errors) first, then waived, then the rest
_RANK = {ERROR: 0, FAILED: 0, WAIVED: 1}
SHOWN = (PASSED, FAILED, SKIPPED, WAIVED)


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


@lru_cache(maxsize=None)
def _asset(name: str) -> tuple[str, str]:
    """A static asset's text and its CSP hash (``sha256-…``)."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    return text, "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _result_row(control: ControlResult, result: TestResult) -> list[Any]:
    """``[status, code_desc, message, exception, backtrace]``, trailing blanks dropped."""
    row = [shown_result_status(control, result), result.code_desc, result.message or result.skip_message, result.exception,
           "".join(result.backtrace) if result.backtrace else None]
    while row[-1] is None:
        row.pop()
    return row


def _control_row(control: ControlResult, profile: int, target: int) -> dict[str, Any]:
    row: dict[str, Any] = {"id": control.id, "t": control.title or "", "m": control.impact,
                           "s": shown_status(control), "p": profile, "x": target,
                           "r": [_result_row(control, r) for r in control.results]}
    if control.tags:
        row["g"] = tag_labels(dict(control.tags))
    descriptions = [[label, text] for label, text in control.descriptions if text and text != control.desc]
    if control.desc:
        descriptions.insert(0, ["", control.desc])
    if descriptions:
        row["d"] = descriptions
    if control.code:
        row["c"] = control.code
    if control.refs:
        row["f"] = [r.get("url") or r.get("uri") or r.get("ref") if isinstance(r, dict) else str(r)
                    for r in control.refs]
    if control.source_location:
        row["l"] = f"{control.source_location.ref}:{control.source_location.line}"
    if control.waiver:
        waiver = control.waiver
        row["w"] = {"justification": waiver.justification, "run": waiver.run,
                    "expiration": waiver.expiration_date, "message": waiver.message,
                    "skipped": waiver.skipped_due_to_waiver}
    return row


def _data(runs: Sequence[RunResult]) -> dict[str, Any]:
    """What the page's script renders: targets, profiles, compact control rows (failures first)
    and, for several targets, the control × target matrix."""
    targets, profiles, controls = [], [], []
    for ti, run in enumerate(runs):
        targets.append(run.target)
        for profile in run.profiles:
            pi = len(profiles)
            profiles.append(profile.title or profile.name)
            controls += [_control_row(c, pi, ti) for c in profile.controls]
    controls.sort(key=lambda row: _RANK.get(row["s"], 2))
    data: dict[str, Any] = {"targets": targets, "profiles": profiles, "controls": controls}
    if len(runs) > 1:
        data["matrix"] = fleet_matrix(runs)
    return data


def fleet_matrix(runs: Sequence[RunResult]) -> list[list[Any]]:
    """``[[control_id, [status on target 0, status on target 1, …]], …]``: ``""`` where it did not run.

    Rows of controls that failed (or raised) on some target come first, then
    those waived somewhere, then the rest in the order they were first seen.
    """
    rows: dict[str, list[str]] = {}
    for ti, run in enumerate(runs):
        for control in run.controls:
            rows.setdefault(control.id, [""] * len(runs))[ti] = shown_status(control)
    ordered = sorted(rows.items(), key=lambda item: min((_RANK.get(s, 2) for s in item[1] if s), default=2))
    return [[control_id, statuses] for control_id, statuses in ordered]


def _chart(runs: Sequence[RunResult]) -> list[dict[str, Any]]:
    """Controls by impact band and status, with bar widths in percent of the largest band."""
    bands = {name: dict.fromkeys((FAILED, WAIVED, SKIPPED, PASSED), 0) for name, _ in IMPACT_BANDS}
    for run in runs:
        for control in run.controls:
            bands[impact_name(control.impact)][counted_status(shown_status(control))] += 1
    widest = max((sum(b.values()) for b in bands.values()), default=0) or 1
    return [{"impact": name, "total": sum(counts.values()),
             "segments": [{"status": s, "count": n, "width": round(100 * n / widest, 2)} for s, n in counts.items()]}
            for name, counts in bands.items()]


def _target_view(run: RunResult) -> dict[str, Any]:
    platform = run.platform
    return {
        "target": run.target, "error": run.error, "duration": f"{run.duration:.2f} s",
        "platform": f"{platform.name} {platform.release} ({platform.arch})".replace(" ()", "") if platform else "",
        "controls": shown_counts(run.controls),
        "errors": sum(1 for c in run.controls if shown_status(c) == ERROR),
        "tests": shown_counts(run.controls, tests=True),
        "profiles": [{"name": p.name, "title": p.title, "version": p.version, "sha256": p.sha256,
                      "status_message": p.status_message, "errors": list(p.errors)} for p in run.profiles],
    }


def build_view(runs: Sequence[RunResult]) -> dict[str, Any]:
    """Everything the template needs, from the run's results."""
    from markupsafe import Markup

    style, _ = _asset("report.css")
    script, script_hash = _asset("report.js")
    data = json.dumps(_data(runs), ensure_ascii=False, separators=(",", ":"), default=str)
    targets = [_target_view(run) for run in runs]
    totals = {
        "controls": {s: sum(t["controls"][s] for t in targets) for s in SHOWN},
        "tests": {s: sum(t["tests"][s] for t in targets) for s in SHOWN},
        "errors": sum(t["errors"] for t in targets),
    }
    names = sorted({p["title"] or p["name"] for t in targets for p in t["profiles"]})
    return {
        "title": ", ".join(names) or "inspecpy report", "version": __version__,
        "generated": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %Z"),
        "targets": targets, "totals": totals, "chart": _chart(runs),
        "style": Markup(style), "script": Markup(script),
        "csp": f"default-src 'none'; style-src 'unsafe-inline'; script-src '{script_hash}'; img-src data:",
        "data_json": Markup(data.translate(_JSON_IN_HTML)),
    }


def render_html(runs: Sequence[RunResult]) -> bytes:
    """The whole page for *runs*, as UTF-8 bytes."""
    return utf8(_environment().get_template("report.html").render(**build_view(runs)))


class HtmlReporter(Reporter):
    """One self-contained HTML page."""

    name = "html"
    description = "one self-contained, filterable HTML page"

    def render(self, runs: Sequence[RunResult]) -> bytes:
        return render_html(runs)


@hookimpl
def inspecpy_reporters():
    return [HtmlReporter]
