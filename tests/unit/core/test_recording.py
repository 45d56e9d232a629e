"""Every expectation opened and never given a matcher call is reported, however many there are."""

from inspecpy.context import RunContext, running
from inspecpy.dsl import describe
from inspecpy.dsl.recording import Recorder
from inspecpy.targets.replay import ReplayTarget


def test_each_expectation_left_open_is_an_error_even_when_the_next_one_reuses_its_memory():
    recorder = Recorder()
    with running(RunContext(ReplayTarget({}), recorder=recorder)):
        for i in range(50):
            describe(i).should.eq  # noqa: B018 - named, never called: collected at once
            describe(i).should.eq(i)
    recorder.close_open()
    statuses = [r.status for r in recorder.results]
    assert statuses.count("passed") == 50 and statuses.count("failed") == 50
    assert all(r.exception == "MatcherNotCalled" for r in recorder.results if r.status == "failed")
