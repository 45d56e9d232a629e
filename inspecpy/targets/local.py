"""The local target: this machine, through the OS API and one persistent ``/bin/sh``.

Commands run in a :class:`~inspecpy.targets.framed_shell.FramedShell` started
on the first command (a fork of the small shell per command, not of this
Python process); files are read with the OS API. Example::

    inspecpy exec profiles/example -t local://
"""

from __future__ import annotations

import os
import threading
from typing import BinaryIO

from inspecpy.targets.base import CommandResult, FileStat, Target, TargetOptions, file_type
from inspecpy.targets.framed_shell import FramedShell, ProcessPipes


class LocalTarget(Target):
    """Runs commands with ``/bin/sh -c`` and reads files with the OS API."""

    scheme = "local"
    description = "this machine"

    def __init__(self, uri: str = "local://", options: TargetOptions | None = None):
        super().__init__(uri, options)
        self._shell: FramedShell | None = None
        self._shell_lock = threading.Lock()

    def _run(self, command: str, timeout: float | None) -> CommandResult:
        return self.shell().run(command, timeout)

    def shell(self) -> FramedShell:
        """The persistent shell (started on first use; again if it died or this process forked)."""
        with self._shell_lock:
            if self._shell is None or not self._shell.alive:
                self._shell = FramedShell(ProcessPipes.start(["/bin/sh"]))
            return self._shell

    def close(self) -> None:
        with self._shell_lock:
            if self._shell is not None:
                self._shell.close()
                self._shell = None

    def _stat(self, path: str) -> FileStat:
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return FileStat(path=path, exists=False)
        except (PermissionError, NotADirectoryError) as error:
            return FileStat(path=path, exists=False, error=f"{error.strerror}: {path}")
        kind = file_type(st.st_mode)
        link_path = target_type = None
        if kind == "symlink":
            link_path = os.path.realpath(path)
            try:
                target_type = file_type(os.stat(path).st_mode)
            except OSError:
                target_type = None
        return FileStat(
            path=path, exists=True, type=kind, mode=st.st_mode & 0o7777,
            uid=st.st_uid, gid=st.st_gid, size=st.st_size, mtime=st.st_mtime,
            link_path=link_path, target_type=target_type,
        )

    def _open(self, path: str) -> BinaryIO:
        return open(path, "rb")

    def _listdir(self, path: str) -> list[str]:
        return os.listdir(path)
