"""The real shell through a pseudo-terminal, as a person uses it: type a check and see ✔ at once,
Tab completion, Ctrl-C cancels the line, history across sessions, Ctrl-D leaves with exit 0."""

from __future__ import annotations

import os
import sys

import pytest

import pexpect

pytestmark = pytest.mark.integration
PROMPT = "inspecpy> "


@pytest.fixture
def spawn(tmp_path):
    children = []

    def start(*args: str):
        env = dict(os.environ, INSPECPY_HISTORY=str(tmp_path / "history"), TERM="xterm", NO_COLOR="1",
                   INSPECPY_KEYS_DIR=str(tmp_path / "keys"))
        child = pexpect.spawn(sys.executable, ["-m", "inspecpy", "shell", *args], env=env, encoding="utf-8",
                              timeout=20, dimensions=(40, 200))
        children.append(child)
        child.expect(PROMPT)
        return child

    yield start
    for child in children:
        child.close(force=True)


def test_describe_prints_a_check_mark_at_once(spawn):
    shell = spawn()
    shell.sendline('describe(file("/etc/passwd")).should.exist()')
    shell.expect("✔  File /etc/passwd is expected to exist")
    shell.expect(PROMPT)
    shell.sendline('describe(file("/etc/passwd")).should_not.exist()')
    shell.expect("×  File /etc/passwd is expected not to exist")
    shell.expect(PROMPT)


def test_tab_completes_resources_attributes_and_matchers(spawn):
    shell = spawn()
    shell.send("describe(fil\t")
    shell.expect_exact("describe(file(")
    shell.send('"/etc/passwd")).should.ex\t')
    shell.expect_exact("exist")
    shell.sendline("()")
    shell.expect("✔  File /etc/passwd is expected to exist")
    shell.expect(PROMPT)
    shell.send('file("/etc/passwd").ow\t')
    shell.expect("ow\x07?ne")  # 'owner' and 'owned_by' share 'owne' (readline rings the bell: two choices)
    shell.send("r\n")
    shell.expect("'root'")
    shell.expect(PROMPT)


def test_ctrl_c_cancels_the_line_and_ctrl_d_leaves(spawn):
    shell = spawn()
    shell.send('describe(file("/etc/pass')
    shell.expect_exact("/etc/pass")  # as a person would: the line is on screen before Ctrl-C
    shell.sendintr()
    shell.expect(PROMPT)
    shell.sendline("1 + 1")
    shell.expect("2")
    shell.expect(PROMPT)
    shell.send("@control('c')\r")  # an unfinished block, then Ctrl-C drops it too
    shell.expect_exact("... ")
    shell.sendintr()
    shell.expect(PROMPT)
    shell.sendeof()
    shell.expect(pexpect.EOF)
    shell.close()
    assert shell.exitstatus == 0


def test_an_error_keeps_the_session_and_suggests_the_name(spawn):
    shell = spawn()
    shell.sendline('fiel("/etc/passwd")')
    shell.expect_exact("Error: unknown name 'fiel' (did you mean 'file'?)")
    shell.expect(PROMPT)
    shell.sendline("describe(2).should.eq(2)")
    shell.expect("✔  2 is expected to eq 2")


def test_history_survives_sessions(spawn, tmp_path):
    shell = spawn()
    shell.sendline("answer = 42")
    shell.expect(PROMPT)
    shell.sendeof()
    shell.expect(pexpect.EOF)
    assert "answer = 42" in (tmp_path / "history").read_text()
    shell = spawn()
    shell.send("\x1b[A")  # Up: the previous session's line comes back
    shell.expect_exact("answer = 42")
    shell.send("\r")
    shell.expect(PROMPT)
    shell.sendline("answer")
    shell.expect("42")
