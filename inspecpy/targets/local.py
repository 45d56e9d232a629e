"""The local target: this machine, through the OS API and ``/bin/sh``.

Example::

    inspecpy exec profiles/example -t local://
"""

from __future__ import annotations

import os
import signal
import subprocess
from typing import BinaryIO

from inspecpy.errors import CommandTimeout
from inspecpy.targets.base import CommandResult, FileStat, Target, file_type


class LocalTarget(Target):
    """Runs commands with ``/bin/sh -c`` and reads files with the OS API."""

    scheme = "local"
    description = "this machine"

    def _run(self, command: str, timeout: float | None) -> CommandResult:
        process = subprocess.Popen(
            ["/bin/sh", "-c", command],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise CommandTimeout(
                f"command timed out after {timeout:g}s: {command}"
            ) from None
        return CommandResult(
            stdout=out.decode("utf-8", errors="replace"),
            stderr=err.decode("utf-8", errors="replace"),
            exit_status=process.returncode,
        )

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
