"""A target that answers from a recording: test a resource without a host (``-t replay://FILE.json``).

A recording holds what a real machine answered, as pyinfra keeps its facts'
outputs::

    {
      "platform": {"name": "debian", "family": "debian", "release": "12"},
      "commands": {"ss -tulpn": {"stdout": "...", "exit_status": 0}},
      "files": {"/etc/hosts": "127.0.0.1 localhost\\n",
                "/etc/shadow": {"content": "...", "mode": "0640", "uid": 0, "gid": 42}},
      "dirs": {"/etc/modprobe.d": ["blacklist.conf"]}
    }

A command not in the recording exits 127 ("not found"), as on a host that
lacks the tool; a file not in it does not exist; every command run is kept
in ``target.ran``. In a test::

    with on_target(ReplayTarget(recording)):
        assert port(22).listening

A resource author keeps one folder of recordings per resource with the
expected answers (see :mod:`inspecpy.resources.facts`); :class:`RecordingTarget`
makes a recording from a real host.
"""

from __future__ import annotations

import io
import json
from typing import Any, BinaryIO

from inspecpy.errors import UsageError
from inspecpy.results import Platform
from inspecpy.targets.base import CommandResult, FileStat, Target, TargetOptions

LINUX = {"name": "debian", "family": "debian", "release": "12", "arch": "x86_64",
         "families": ["debian", "linux", "unix", "os"], "kernel": "Linux"}


def read_recording(path: str) -> dict:
    """The recording in the JSON file at *path* (a fact file's ``recording`` key, or the whole file)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        raise UsageError(f"cannot read recording {path}: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise UsageError(f"recording {path}: not JSON: {error.msg} (line {error.lineno})") from None
    return data.get("recording", data) if isinstance(data, dict) else {}


class ReplayTarget(Target):
    """Answers probes from a recording; files are text or a mapping with stat fields."""

    scheme = "replay"
    description = "answers from a recorded JSON file (replay:///path/to/recording.json)"

    def __init__(self, recording: dict | str, options: TargetOptions | None = None):
        if isinstance(recording, str):  # a URI, when opened with -t
            uri = recording
            recording = read_recording(uri.partition("://")[2])
        else:
            uri = "replay://"
        super().__init__(uri, options)
        self.recording = recording
        self.ran: list[str] = []
        platform = {**LINUX, **recording.get("platform", {})}
        platform["families"] = tuple(platform.get("families", ()))
        self._cache[("platform",)] = Platform(**platform)

    def _run(self, command: str, timeout: float | None) -> CommandResult:
        self.ran.append(command)
        answer = self.recording.get("commands", {}).get(command)
        if answer is None:
            word = command.split()[0] if command.split() else command
            return CommandResult("", f"sh: 1: {word}: not found\n", 127)
        if isinstance(answer, str):
            return CommandResult(answer, "", 0)
        return CommandResult(answer.get("stdout", ""), answer.get("stderr", ""), answer.get("exit_status", 0))

    def _file(self, path: str) -> dict | None:
        entry = self.recording.get("files", {}).get(path)
        return {"content": entry} if isinstance(entry, str) else entry

    def _stat(self, path: str) -> FileStat:
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

    def _open(self, path: str) -> BinaryIO:
        entry = self._file(path)
        if entry is None:
            raise FileNotFoundError(path)
        if entry.get("unreadable"):
            raise PermissionError(path)
        return io.BytesIO(entry.get("content", "").encode())

    def _listdir(self, path: str) -> list[str]:
        if path not in self.recording.get("dirs", {}):
            raise FileNotFoundError(path)
        return list(self.recording["dirs"][path])


class RecordingTarget(Target):
    """Passes every probe to *real* and keeps what it answered, as a recording for :class:`ReplayTarget`.

    How a resource author makes a fact from a real host::

        recorder = RecordingTarget(LocalTarget("local://"))
        with on_target(recorder):
            port(22).listening
        json.dump(recorder.recording, open("tests/facts/port/debian12.json", "w"))
    """

    scheme = "record"

    def __init__(self, real: Target):
        super().__init__(f"record+{real.uri}", real.options)
        self.real = real
        platform = real.platform
        self.recording: dict[str, Any] = {
            "platform": {"name": platform.name, "family": platform.family, "release": platform.release,
                         "arch": platform.arch, "families": list(platform.families), "kernel": platform.kernel},
            "commands": {}, "files": {}, "dirs": {}}
        self._cache[("platform",)] = platform

    def _run(self, command: str, timeout: float | None) -> CommandResult:
        result = self.real.run(command, timeout=timeout)
        self.recording["commands"][command] = {"stdout": result.stdout, "stderr": result.stderr,
                                               "exit_status": result.exit_status}
        return result

    def _stat(self, path: str) -> FileStat:
        stat = self.real.stat(path)
        if stat.exists and stat.type == "directory":
            self.recording["dirs"].setdefault(path, [])
        elif stat.exists:
            entry = self.recording["files"].setdefault(path, {"content": ""})
            entry.update(mode=f"{stat.mode:04o}", uid=stat.uid, gid=stat.gid, type=stat.type,
                         **({"link_path": stat.link_path, "target_type": stat.target_type} if stat.link_path else {}))
        return stat

    def _open(self, path: str) -> BinaryIO:
        data = self.real.read(path)
        entry = self.recording["files"].setdefault(path, {})
        entry["content"] = data.decode("utf-8", errors="replace")
        return io.BytesIO(data)

    def _listdir(self, path: str) -> list[str]:
        names = self.real.listdir(path)
        self.recording["dirs"][path] = list(names)
        return names
