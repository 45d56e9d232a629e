"""A resource is bound to the target it is probed on, never silently to this machine.

Regression tests for issue 10: a resource made at module level in a control file used to keep the
target current when it was built (this machine, while the profile loaded), so over SSH it checked
the machine running inspecpy. The same tests run over a real sshd with its own filesystem in
tests/integration/test_isolated_target.py.
"""

from __future__ import annotations

import contextvars
import threading


from inspecpy.errors import UnboundTarget
from inspecpy.profile.loader import load_profile
from inspecpy.resources import command, file
from inspecpy.run.runner import Selection, run_target
from inspecpy.targets import on_target
from inspecpy.targets.replay import ReplayTarget

HOST_A = {"commands": {"id -un": "alice\n"}, "files": {"/etc/app.conf": "mode=a\n"}}
HOST_B = {"commands": {"id -un": "bob\n"}}

MODULE_LEVEL = """
from inspecpy import control, describe
from inspecpy.resources import command, file

WHO = command("id -un")          # built while the profile loads, probed in the control
CONFIG = file("/etc/app.conf")

@control("who")
def _():
    describe(WHO).its("stdout").should.eq("alice\\n")

@control("config")
def _():
    describe(CONFIG).should.exist()
"""


def verdicts(run):
    return {c.id: c.status for p in run.profiles for c in p.controls}


def test_module_level_resources_answer_for_the_target_the_control_runs_on(make_profile):
    profile = load_profile(str(make_profile(controls={"c.py": MODULE_LEVEL})))
    assert verdicts(run_target([profile], ReplayTarget(HOST_A), Selection())) == {"who": "passed", "config": "passed"}
    assert verdicts(run_target([profile], ReplayTarget(HOST_B), Selection())) == {"who": "failed", "config": "failed"}


def test_one_shared_instance_caches_per_target():
    who = command("id -un")
    a, b = ReplayTarget(HOST_A), ReplayTarget(HOST_B)
    with on_target(a):
        assert who.stdout == "alice\n"
    with on_target(b):
        assert who.stdout == "bob\n"
    with on_target(a):
        assert who.stdout == "alice\n" and a.ran == ["id -un"]  # cached on a, not asked again


def test_probing_while_a_profile_loads_is_an_error_naming_the_file_and_line(make_profile):
    path = make_profile(controls={"c.py": "from inspecpy.resources import file\nSIZE = file('/etc/passwd').size\n"})
    profile = load_profile(str(path))
    (problem,) = profile.errors
    assert problem.line == 2 and problem.file.endswith("controls/c.py")
    assert "UnboundTarget: a resource was probed while the profile loads" in problem.message


def test_a_thread_without_the_runs_context_gets_an_error_not_this_machine():
    seen = []

    def probe():
        try:
            seen.append(file("/etc/app.conf").exists)
        except UnboundTarget as error:
            seen.append(str(error))

    with on_target(ReplayTarget(HOST_A)):
        thread = threading.Thread(target=probe)
        thread.start()
        thread.join()
        carried = threading.Thread(target=contextvars.copy_context().run, args=(probe,))
        carried.start()
        carried.join()
    assert "no run context" in seen[0]
    assert seen[1] is True


def test_outside_any_run_resources_use_this_machine():
    assert file("/").exists is True
