"""The interactive prompt: readline editing, Tab completion, history across sessions.

Ctrl-C cancels the line being typed (or interrupts a running command) and
gives a fresh prompt; Ctrl-D on an empty line leaves. A line that opens a
block (``@control(...)``, ``def``, ``for``) continues on ``...`` lines until
an empty one. History lives in ``$INSPECPY_HISTORY`` or
``~/.inspecpy/history``.
"""

from __future__ import annotations

import codeop
import os
import signal
from typing import Any, Callable

from inspecpy.shell.completion import DELIMITERS, complete
from inspecpy.shell.evaluator import Shell

PROMPT, MORE = "inspecpy> ", "...       "
HISTORY_LENGTH = 1000


def history_path() -> str:
    return os.path.expanduser(os.environ.get("INSPECPY_HISTORY") or os.path.join("~", ".inspecpy", "history"))


def _readline() -> Any:
    try:
        import readline
    except ImportError:  # pragma: no cover - e.g. Windows without pyreadline
        return None
    return readline


class Completer:
    """readline's completer protocol over :func:`~inspecpy.shell.completion.complete`."""

    def __init__(self, namespace: dict[str, Any], readline: Any):
        self.namespace, self.readline = namespace, readline
        self.matches: list[str] = []

    def __call__(self, text: str, state: int) -> str | None:
        if state == 0:
            line = self.readline.get_line_buffer()[: self.readline.get_endidx()]
            try:
                self.matches = complete(line, self.namespace)
            except Exception:  # noqa: BLE001 - a completion bug must never kill the prompt
                self.matches = []
        return self.matches[state] if state < len(self.matches) else None


def _setup(session: Shell) -> Callable[[], None]:
    """Install completion and load history; return what saves the history."""
    readline = _readline()
    if readline is None:
        return lambda: None
    readline.set_completer(Completer(session.namespace, readline))
    readline.set_completer_delims(DELIMITERS)
    if "libedit" in (readline.__doc__ or ""):
        readline.parse_and_bind("bind ^I rl_complete")
    else:
        readline.parse_and_bind("tab: complete")
    path = history_path()
    try:
        readline.read_history_file(path)
    except OSError:
        pass
    readline.set_history_length(HISTORY_LENGTH)

    def save() -> None:
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            readline.write_history_file(path)
        except OSError:
            pass

    return save


def incomplete(source: str) -> bool:
    """True when *source* opens a block (or a bracket) that is not closed yet."""
    try:
        return codeop.compile_command(source, "<shell>", "single") is None
    except (SyntaxError, ValueError, OverflowError):
        return False  # complete, and wrong: running it shows the error


def interact(session: Shell, banner: str = "") -> int:
    """Read, evaluate, print until Ctrl-D (or ``exit()``); return the exit code."""
    save = _setup(session)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C works even if started with SIGINT ignored
    if banner:
        session.write(banner + "\n")
    lines: list[str] = []
    try:
        while True:
            try:
                line = input(MORE if lines else PROMPT)
            except KeyboardInterrupt:  # Ctrl-C: drop the line (and any unfinished block)
                session.write("^C\n" if not lines else "\n")
                lines = []
                continue
            except EOFError:  # Ctrl-D
                session.write("\n")
                return 0
            lines.append(line)
            source = "\n".join(lines)
            if not source.strip():
                lines = []
                continue
            if incomplete(source):
                continue
            lines = []
            try:
                session.run(source)
            except KeyboardInterrupt:
                session.write("Interrupted\n")
            except SystemExit as leave:  # exit() / quit()
                return leave.code if isinstance(leave.code, int) else 0
    finally:
        save()
