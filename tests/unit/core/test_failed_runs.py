"""A run that fails before any profile runs (no target, a lost Dask task) still says when it started."""

from __future__ import annotations

from datetime import datetime, timedelta

from inspecpy.errors import TargetError
from inspecpy.results import RunResult
from inspecpy.run.dask_fleet import _outcome
from inspecpy.run.fleet import run_one
from inspecpy.run.runner import Selection, run_target
from inspecpy.targets.base import Target, TargetOptions


def started_recently(run: RunResult) -> bool:
    started = datetime.fromisoformat(run.start_time)
    return started.tzinfo is not None and timedelta(0) <= datetime.now(started.tzinfo) - started < timedelta(minutes=1)


def test_failed_starts_duration_seconds_ago():
    run = RunResult.failed("ssh://db1", "connection refused", 90.0)
    assert (run.target, run.error, run.duration, run.platform, run.profiles) == \
        ("ssh://db1", "connection refused", 90.0, None, ())
    ago = datetime.now(datetime.fromisoformat(run.start_time).tzinfo) - datetime.fromisoformat(run.start_time)
    assert timedelta(seconds=90) <= ago < timedelta(seconds=150)


def test_a_target_that_cannot_be_opened_has_a_start_time():
    run = run_one("nosuch://host", [], TargetOptions(), Selection())
    assert run.error and "nosuch" in run.error
    assert started_recently(run)


class _Unreachable(Target):
    def _fail(self, *args):
        raise TargetError("host unreachable")

    _run = _stat = _open = _listdir = _fail


def test_an_unreachable_target_has_a_start_time():
    run = run_target([], _Unreachable("ssh://db1"), Selection())
    assert run.error == "host unreachable"
    assert started_recently(run)


class _FailedTask:
    status = "error"

    def exception(self):
        return RuntimeError("worker lost")


def test_a_failed_dask_task_has_a_start_time():
    run = _outcome(_FailedTask(), "ssh://db1")
    assert run.error == "RuntimeError: worker lost"
    assert started_recently(run)
