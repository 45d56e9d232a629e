"""The local target runs commands in one persistent framed shell: same answers as ``sh -c``, one shell."""

from __future__ import annotations

import os

import pytest

from inspecpy.errors import CommandTimeout
from inspecpy.targets.local import LocalTarget


@pytest.fixture
def target():
    with LocalTarget("local://") as local:
        yield local


def test_stdout_stderr_and_exit_status_are_framed_apart(target):
    result = target.run("printf 'a\\nb'; echo err >&2; exit 3")
    assert (result.stdout, result.stderr, result.exit_status) == ("a\nb", "err\n", 3)


def test_one_shell_serves_every_command_and_state_does_not_leak(target):
    first = target.run("cd /tmp && export X=1 && pwd").stdout
    assert first == "/tmp\n"
    assert target.run("pwd").stdout == os.getcwd() + "\n" and target.run("echo ${X:-unset}").stdout == "unset\n"
    assert target.run("echo $$").stdout == target.run("echo $$ # again").stdout  # the same persistent shell


def test_arguments_are_quoted_and_stdin_is_empty(target):
    assert target.run("printf %s {}", "a b; rm -rf / $(id)").stdout == "a b; rm -rf / $(id)"
    assert target.run("cat").stdout == ""  # reads /dev/null, never the framing pipe


def test_binary_output_passes_through(target):
    assert target.shell().run_bytes("printf '\\000\\377\\n'", None)[0] == b"\x00\xff\n"


SLEEP = f"sleep 30.{os.getpid()}"  # unique: another test run's sleep on this machine is not ours


def test_a_timed_out_command_is_killed_and_the_shell_goes_on(target):
    with pytest.raises(CommandTimeout, match=f"timed out after 0.3s: {SLEEP}"):
        target.run(SLEEP, timeout=0.3)
    assert target.run("echo still here").stdout == "still here\n"
    assert SLEEP not in target.run("ps -eo args").stdout


def test_close_ends_the_shell_and_a_new_command_starts_another(target):
    pid = target.run("echo $$").stdout
    target.close()
    assert target.run("echo $$ # after close").stdout != pid  # (identical commands are cached per run)


def test_ctrl_c_stops_the_running_commands_process_tree(target):
    """Issue 11: Ctrl-C in the shell stopped the prompt but left the command running on the target."""
    import _thread
    import threading

    threading.Timer(0.5, _thread.interrupt_main).start()
    with pytest.raises(KeyboardInterrupt):
        target.run(f"sh -c '{SLEEP}1; echo never' & {SLEEP}2")
    assert SLEEP not in target.run("ps -eo args # after Ctrl-C").stdout
    assert target.run("echo still here").stdout == "still here\n"
