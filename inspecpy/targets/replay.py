"""A target that answers from a recording: test a resource without a host (``-t replay://FILE.json``).

A recording holds what a real machine answered, as pyinfra keeps its facts'
outputs::

    {
      "platform": {"name": "debian", "family": "debian", "release": "12"},
      "commands": {"ss -tulpn": {"stdout": "...", "exit_status": 0},
                   "uname -s": "Linux\\n"},
      "files": {"/etc/hosts": "127.0.0.1 localhost\\n",
                "/etc/shadow": {"content": "...", "mode": "0640", "uid": 0, "gid": 42},
                "/srv/model.npz": {"base64": "UEsDBBQAAAAAAA...", "mode": "0644"},
                "/usr/bin/ssh": {"size": 1027112, "mode": "0755"},
                "/etc/localtime": {"type": "symlink", "link_path": "/usr/share/zoneinfo/Etc/UTC",
                                   "target_type": "file"},
                "/etc/ssl/private": {"type": "directory", "mode": "0710", "gid": 111},
                "/root/secret": {"unreadable": true, "mode": "0600"}},
      "dirs": {"/etc/modprobe.d": ["blacklist.conf"]}
    }

* ``commands``: the exact command line (as quoted by the target) → its
  ``stdout``, ``stderr`` and ``exit_status`` (a plain string is a stdout
  with exit status 0);
* ``files``: a path → its text, or a mapping with the text in ``content``
  (or the bytes of a binary file in ``base64``) and any stat field:
  ``type`` (``file`` by default; ``directory``, ``symlink`` …), ``mode`` (an
  octal string, ``0644`` by default), ``uid``, ``gid``, ``size`` (the
  content's length by default: a file that was only stat'ed keeps its real
  size and no content), ``mtime``, ``link_path`` and ``target_type`` (a
  symlink's resolved path and the type it points to), ``unreadable``
  (reading it is "permission denied");
* ``dirs``: a directory → the names in it (a directory listed here and not
  in ``files`` stats as ``0755`` owned by root).

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

import base64
import binascii
import io
import json
from typing import Any, BinaryIO

from inspecpy.errors import TargetError, UsageError
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

    @staticmethod
    def _bytes(path: str, entry: dict) -> bytes:
        """The file's bytes: ``base64`` for a binary file, else the text in ``content``."""
        if "base64" in entry:
            try:
                return base64.b64decode(entry["base64"], validate=True)
            except binascii.Error as error:
                raise UsageError(f"recording: {path}: bad base64 content: {error}") from None
        return entry.get("content", "").encode()

    def _stat(self, path: str) -> FileStat:
        entry = self._file(path)
        if entry is None and path in self.recording.get("dirs", {}):
            entry = {"type": "directory", "mode": "0755"}
        if entry is None:
            return FileStat(path=path, exists=False)
        size = entry["size"] if "size" in entry else len(self._bytes(path, entry))
        return FileStat(
            path=path, exists=True, type=entry.get("type", "file"), mode=int(str(entry.get("mode", "0644")), 8),
            uid=entry.get("uid", 0), gid=entry.get("gid", 0), size=size, mtime=entry.get("mtime"),
            link_path=entry.get("link_path"), target_type=entry.get("target_type"),
        )

    def _open(self, path: str) -> BinaryIO:
        entry = self._file(path)
        if entry is None:
            raise FileNotFoundError(path)
        if entry.get("type") == "directory" or entry.get("target_type") == "directory":
            raise IsADirectoryError(path)
        if entry.get("unreadable"):
            raise PermissionError(path)
        return io.BytesIO(self._bytes(path, entry))

    def _listdir(self, path: str) -> list[str]:
        if path not in self.recording.get("dirs", {}):
            raise FileNotFoundError(path)
        return list(self.recording["dirs"][path])


class RecordingTarget(Target):
    """Passes every probe to *real* and keeps what it answered, as a recording for :class:`ReplayTarget`.

    Text files are kept as text, others as ``base64``; a stat keeps the
    type, mode, owner, size and mtime. How a resource author makes a fact
    from a real host (``scripts/record_fact.py`` does this)::

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
                         "arch": platform.arch, "families": list(platform.families), "kernel": platform.kernel,
                         "kernel_release": platform.kernel_release},
            "commands": {}, "files": {}, "dirs": {}}
        self._cache[("platform",)] = platform

    def _run(self, command: str, timeout: float | None) -> CommandResult:
        result = self.real.run(command, timeout=timeout)
        self.recording["commands"][command] = {"stdout": result.stdout, "stderr": result.stderr,
                                               "exit_status": result.exit_status}
        return result

    def _stat(self, path: str) -> FileStat:
        stat = self.real.stat(path)
        if stat.exists:
            entry = self.recording["files"].setdefault(path, {})
            entry.update(type=stat.type, mode=f"{stat.mode:04o}", uid=stat.uid, gid=stat.gid)
            entry.update({k: v for k, v in (("size", stat.size), ("mtime", stat.mtime), ("link_path", stat.link_path),
                                            ("target_type", stat.target_type)) if v is not None})
        return stat

    def _open(self, path: str) -> BinaryIO:
        entry = self.recording["files"].get(path, {})
        try:
            data = self.real.read(path)
        except TargetError as error:
            if "permission denied" in str(error).lower():
                self.recording["files"][path] = {**entry, "unreadable": True}
            raise
        try:
            text = {"content": data.decode("utf-8")}
        except UnicodeDecodeError:
            text = {"base64": base64.b64encode(data).decode("ascii")}
        self.recording["files"][path] = {**{k: v for k, v in entry.items() if k not in ("content", "base64")},
                                         **text}
        return io.BytesIO(data)

    def _listdir(self, path: str) -> list[str]:
        names = self.real.listdir(path)
        self.recording["dirs"][path] = list(names)
        return names
