"""The ``markdown`` reporter: a summary table and the failed controls, for a pull-request comment.

Example::

    inspecpy exec my-profile --reporter markdown:report.md
    gh pr comment "$PR" --body-file report.md      # or: cml comment create report.md

    ## inspecpy: ❌ 1 control failed
    | Target | Profile | Controls passed | failed | skipped | waived | Tests passed | failed | skipped | waived | Duration |
    |---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|
    | local:// | Example Profile 0.1.0 | 1 | 1 | 0 | 0 | 7 | 1 | 0 | 0 | 0.02 s |

    ### Failed controls
    <details><summary><b>pw-01</b> Password policy — impact 0.5 (medium)</summary> …

A waived control that failed is counted as waived, not failed, and listed
under "Waived controls" with its justification (:func:`inspecpy.results.shown_status`).

Text from the profile is escaped (no raw HTML, no stray Markdown), messages go
in fences longer than any backtick run they hold, and the whole stays under
GitHub's 65,536-character comment limit.
"""

from __future__ import annotations

import html
import re
from typing import Sequence

from inspecpy.hookspecs import hookimpl
from inspecpy.reporter import Reporter
from inspecpy.results import ERROR, FAILED, PASSED, SKIPPED, WAIVED, ControlResult, RunResult, shown_counts, shown_status

from inspecpy.reporters._common import impact_name, utf8, xml_text

LIMIT = 60_000          # characters: GitHub refuses comments over 65,536
MESSAGE_LIMIT = 2_000   # characters of one test's message
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")


def inline(text: object) -> str:
    """*text* on one line, safe in a Markdown paragraph or table cell."""
    flat = " ".join(xml_text(text).split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", flat)


def html_inline(text: object) -> str:
    """*text* on one line, safe inside an HTML tag of the comment (where Markdown is not read)."""
    return html.escape(" ".join(xml_text(text).split()), quote=False)


def fenced(text: str) -> str:
    """*text* in a code fence that nothing inside can close."""
    text = xml_text(text)
    if len(text) > MESSAGE_LIMIT:
        text = text[:MESSAGE_LIMIT] + f"\n… ({len(text) - MESSAGE_LIMIT} more characters)"
    runs = [len(m) for m in re.findall(r"`+", text)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return f"{fence}text\n{text}\n{fence}"


def _headline(runs: Sequence[RunResult]) -> str:
    unreachable = sum(1 for r in runs if r.error)
    controls = [c for r in runs for c in r.controls]
    counts = shown_counts(controls)
    failed, waived = counts[FAILED], counts[WAIVED]  # as in the exit code: a waiver accepts the failure
    notes = [f"{waived} waived"] if waived else []
    if failed or unreachable:
        parts = [f"{failed} control{'s' if failed != 1 else ''} failed"] if failed else []
        parts += [f"{unreachable} target{'s' if unreachable != 1 else ''} unreachable"] if unreachable else []
        return "## inspecpy: ❌ " + ", ".join(parts + notes)
    notes += [f"{counts[SKIPPED]} skipped"] if counts[SKIPPED] else []
    return f"## inspecpy: ✅ {counts[PASSED]} of {len(controls)} controls passed" + (
        f" ({', '.join(notes)})" if notes else "")


def _table(runs: Sequence[RunResult]) -> list[str]:
    lines = ["| Target | Profile | Controls passed | failed | skipped | waived "
             "| Tests passed | failed | skipped | waived | Duration |",
             "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    order = (PASSED, FAILED, SKIPPED, WAIVED)
    for run in runs:
        if run.error:
            lines.append(f"| {inline(run.target)} | unreachable: {inline(run.error)} | | | | | | | | | |")
        for profile in run.profiles:
            counts, tests = shown_counts(profile.controls), shown_counts(profile.controls, tests=True)
            name = inline(f"{profile.title or profile.name} {profile.version or ''}".strip())
            if profile.status_message:
                name += f" ({inline(profile.status_message)})"
            lines.append(f"| {inline(run.target)} | {name} | " + " | ".join(str(counts[s]) for s in order)
                         + " | " + " | ".join(str(tests[s]) for s in order) + f" | {run.duration:.2f} s |")
    return lines


def _failed_control(control: ControlResult, target: str | None) -> str:
    title = f" {html_inline(control.title)}" if control.title else ""
    where = f" on {html_inline(target)}" if target else ""
    waived = " — waived" if control.waiver else ""
    lines = [(f"<details><summary><b>{html_inline(control.id)}</b>{title} — impact {control.impact:g} "
              f"({impact_name(control.impact)}){where}{waived}</summary>"), ""]
    for result in control.results:
        if result.status != FAILED:
            continue
        mark = "💥" if result.exception else "❌"
        lines.append(f"- {mark} {inline(result.code_desc)}")
        if result.message:
            lines += ["", fenced(result.message), ""]
    if control.waiver:
        lines.append(f"- waiver: {inline(control.waiver.justification)}")
    lines += ["", "</details>", ""]
    return "\n".join(lines)


def render_markdown(runs: Sequence[RunResult]) -> str:
    """The comment's Markdown for *runs*."""
    parts = [_headline(runs), "", *_table(runs), ""]
    size = sum(len(p) + 1 for p in parts)
    for title, statuses in (("Failed", (FAILED, ERROR)), ("Waived", (WAIVED,))):
        listed = [(run.target if len(runs) > 1 else None, c) for run in runs for c in run.controls
                  if shown_status(c) in statuses]
        if listed:
            parts += [f"### {title} controls ({len(listed)})", ""]
        for index, (target, control) in enumerate(listed):
            block = _failed_control(control, target)
            if size + len(block) > LIMIT:
                parts.append(f"… and {len(listed) - index} more {title.lower()} controls (see the full report).")
                break
            parts.append(block)
            size += len(block) + 1
    return "\n".join(parts).rstrip("\n") + "\n"


class MarkdownReporter(Reporter):
    """Summary table and failed controls in Markdown."""

    name = "markdown"
    description = "summary and failed controls in Markdown (pull-request comment)"

    def render(self, runs: Sequence[RunResult]) -> bytes:
        return utf8(render_markdown(runs))


@hookimpl
def inspecpy_reporters():
    return [MarkdownReporter]
