"""A target that replays recorded probe outputs, so resources are tested without a host.

A recording (inline dict, or ``fixtures/<resource>/<name>.json``) holds what
a real machine answered (pyinfra keeps its facts' outputs the same way)::

    {
      "platform": {"name": "debian", "family": "debian", "release": "12"},
      "commands": {"ss -tulpn": {"stdout": "...", "exit_status": 0}},
      "files": {"/etc/hosts": "127.0.0.1 localhost\\n",
                "/etc/shadow": {"content": "...", "mode": "0640", "uid": 0, "gid": 42}},
      "dirs": {"/etc/modprobe.d": ["blacklist.conf"]}
    }

A command not in the recording exits 127 ("not found"), as on a host that
lacks the tool; every command run is kept in ``target.ran``.
"""

from __future__ import annotations

import io
import json
import pathlib

import pytest

from inspecpy.results import Platform
from inspecpy.targets import using_target
from inspecpy.targets.base import CommandResult, FileStat, Target

FIXTURES = pathlib.Path(__file__).parent / "fixtures"

LINUX = {"name": "debian", "family": "debian", "release": "12", "arch": "x86_64",
         "families": ["debian", "linux", "unix", "os"], "kernel": "Linux"}


class ReplayTarget(Target):
    """Answers probes from a recording; files are text or a dict with stat fields."""

    scheme = "replay"

    def __init__(self, recording: dict):
        super().__init__("replay://")
        self.recording = recording
        self.ran: list[str] = []
        platform = {**LINUX, **recording.get("platform", {})}
        platform["families"] = tuple(platform.get("families", ()))
        self.__dict__["platform"] = Platform(**platform)

    def _run(self, command, timeout):
        self.ran.append(command)
        answer = self.recording.get("commands", {}).get(command)
        if answer is None:
            word = command.split()[0] if command.split() else command
            return CommandResult("", f"sh: 1: {word}: not found\n", 127)
        if isinstance(answer, str):
            return CommandResult(answer, "", 0)
        return CommandResult(answer.get("stdout", ""), answer.get("stderr", ""), answer.get("exit_status", 0))

    def _file(self, path):
        entry = self.recording.get("files", {}).get(path)
        return {"content": entry} if isinstance(entry, str) else entry

    def _stat(self, path):
        entry = self._file(path)
        if entry is None and path in self.recording.get("dirs", {}):
            entry = {"type": "directory", "mode": "0755"}
        if entry is None:
            return FileStat(path=path, exists=False)
        content = entry.get("content", "")
        return FileStat(
            path=path, exists=True, type=entry.get("type", "file"), mode=int(str(entry.get("mode", "0644")), 8),
            uid=entry.get("uid", 0), gid=entry.get("gid", 0), size=len(content.encode()),
            link_path=entry.get("link_path"), target_type=entry.get("target_type"),
        )

    def _open(self, path):
        entry = self._file(path)
        if entry is None:
            raise FileNotFoundError(path)
        if entry.get("unreadable"):
            raise PermissionError(path)
        return io.BytesIO(entry.get("content", "").encode())

    def _listdir(self, path):
        if path not in self.recording.get("dirs", {}):
            raise FileNotFoundError(path)
        return list(self.recording["dirs"][path])


def load_recording(resource: str, name: str) -> dict:
    """``fixtures/<resource>/<name>.json``."""
    return json.loads((FIXTURES / resource / f"{name}.json").read_text())


@pytest.fixture
def replay():
    """``replay(recording)`` or ``replay("port", "ss_debian")``: a ReplayTarget made current."""
    stack = []

    def make(recording, name: str | None = None) -> ReplayTarget:
        if isinstance(recording, str):
            recording = load_recording(recording, name)
        target = ReplayTarget(recording)
        context = using_target(target)
        context.__enter__()
        stack.append(context)
        return target

    yield make
    for context in reversed(stack):
        context.__exit__(None, None, None)


@pytest.fixture
def recorded():
    """``recorded("port", "ss_ubuntu")``: a fixture file's recording, as a dict."""
    return load_recording
