"""The ``junit`` reporter: Ant JUnit XML, as Jenkins and GitLab read it.

One ``<testsuite>`` per profile and target, one ``<testcase>`` per test
result (``classname`` = the control id, ``name`` = the test's description);
a failed test of a waived control is ``<skipped message="waived: …">``, as
its failure does not fail the run either::

    inspecpy exec my-profile --reporter junit:junit.xml

    <testsuites>
      <testsuite name="my-profile" package="my-profile" id="0" hostname="web1"
                 timestamp="2024-05-01T10:00:00" tests="2" failures="1" errors="0" skipped="0" time="0.012">
        <properties><property name="target" value="ssh://web1"/>…</properties>
        <testcase classname="sshd-01" name="SSH Configuration PermitRootLogin is expected to cmp == &quot;no&quot;"
                  time="0.002"><failure type="failure" message="expected: &quot;no&quot; got: &quot;yes&quot;">…</failure>
        </testcase>
        …
        <system-out/><system-err/>
      </testsuite>
    </testsuites>

Built with the ``junit-xml`` package, then adjusted to validate against the
Ant schema (``JUnit.xsd``): no attributes on ``<testsuites>``, the suite's
required ``id``/``package``/``hostname``/``timestamp``, ``<properties>``,
``<system-out>`` and ``<system-err>`` in the schema's order, and every
character XML 1.0 forbids (terminal escapes in command output, NUL, …)
shown as ``\\xNN``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Sequence

from inspecpy.hookspecs import hookimpl
from inspecpy.reporter import Reporter
from inspecpy.results import (FAILED, SKIPPED, WAIVED, ControlResult, ProfileResult, RunResult, TestResult,
                              shown_result_status)

from inspecpy.reporters._common import hostname, timestamp, utf8, xml_text

_SUITE_ATTRIBUTES = ("name", "timestamp", "hostname", "tests", "failures", "errors", "skipped", "time", "package", "id")


def _case(test_case: type, control: ControlResult, result: TestResult):
    """One junit-xml TestCase (*test_case* is its class, imported late) for one test result."""
    case = test_case(result.code_desc or "(no description)", classname=control.id, elapsed_sec=result.run_time)
    if shown_result_status(control, result) == WAIVED:  # accepted: not a CI failure, as in the exit code
        case.add_skipped_info(message=f"waived: {control.waiver.justification}", output=result.message)
    elif result.status == SKIPPED:
        case.add_skipped_info(message=result.skip_message or "skipped")
    elif result.exception:
        backtrace = "".join(result.backtrace or ()) or result.message
        case.add_error_info(message=result.message or result.exception, output=backtrace,
                            error_type=result.exception)
    elif result.status == FAILED:
        message = result.message or result.code_desc
        case.add_failure_info(message=message.split("\n", 1)[0], output=message, failure_type="failure")
    return case


def _properties(run: RunResult, profile: ProfileResult | None) -> dict[str, str]:
    props = {"target": run.target, "inspecpy.version": run.version}
    if run.platform:
        props.update({"platform.name": run.platform.name, "platform.release": run.platform.release})
    if profile is not None:
        props.update({"profile.version": profile.version or "", "profile.sha256": profile.sha256,
                      "profile.status": profile.status})
    return props


def _suite(run: RunResult, profile: ProfileResult | None, index: int, several_targets: bool) -> ET.Element:
    """One ``<testsuite>`` from junit-xml, adjusted to the Ant schema."""
    from junit_xml import TestCase, TestSuite

    if profile is None:  # unreachable target: one error case, so CI shows it
        name = package = "target"
        cases = [TestCase(f"connect to {run.target}", classname="target", elapsed_sec=run.duration)]
        cases[0].add_error_info(message=run.error, output=run.error, error_type="TargetError")
        errors, total_time = [run.error or ""], run.duration
    else:
        name = package = profile.name
        cases = [_case(TestCase, c, r) for c in profile.controls for r in c.results]
        errors = [*([profile.status_message] if profile.status_message else []), *profile.errors]
        total_time = sum(r.run_time for c in profile.controls for r in c.results)
    if several_targets:
        name = f"{name} on {run.target}"
    suite = TestSuite(name, cases, hostname=hostname(run), id=str(index), package=package, timestamp=timestamp(run), properties=_properties(run, profile))
    element = suite.build_xml_doc()
    return _to_schema(element, total_time, system_err="\n".join(errors))


def _to_schema(element: ET.Element, total_time: float, system_err: str) -> ET.Element:
    """Drop what the Ant schema forbids, add what it requires, in its order."""
    for key in list(element.attrib):
        if key not in _SUITE_ATTRIBUTES:
            del element.attrib[key]
    element.set("time", f"{total_time:.6f}")
    properties = element.find("properties")
    if properties is None:
        properties = ET.Element("properties")
    cases = element.findall("testcase")
    for case in cases:
        case.attrib.setdefault("time", "0.000000")
        for skipped in case.iter("skipped"):
            skipped.attrib.pop("type", None)  # the schema's <skipped> has a message only
    out = ET.Element("system-out")
    err = ET.Element("system-err")
    err.text = system_err or None
    element[:] = [properties, *cases, out, err]
    return element


def render_junit(runs: Sequence[RunResult]) -> bytes:
    """The ``<testsuites>`` document for *runs*, as UTF-8 bytes."""
    root = ET.Element("testsuites")
    several = len(runs) > 1
    for run in runs:
        for profile in (run.profiles if not run.error else [None]):
            root.append(_suite(run, profile, len(root), several))
    ET.indent(root, space=" ")
    text = xml_text(ET.tostring(root, encoding="unicode"))  # one pass over the document, not one per field
    return utf8('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n")


class JunitReporter(Reporter):
    """Ant JUnit XML (Jenkins, GitLab)."""

    name = "junit"
    description = "JUnit XML for Jenkins/GitLab (Ant schema)"

    def render(self, runs: Sequence[RunResult]) -> bytes:
        return render_junit(runs)


@hookimpl
def inspecpy_reporters():
    return [JunitReporter]
