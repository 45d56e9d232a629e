"""A profile's own files, read from the profile wherever the target is.

A path is read on the target being checked, except a :class:`ProfileFile`:
a file that ships with the profile (``profile_file("model.npz")`` in Python,
``{profile_file: model.npz}`` in YAML, or a relative path given to ``model()``
or ``dataset()`` inside a profile). Resources read it through a
:class:`ProfileTarget`: the machine running inspecpy, read-only and
confined to the profile's folder (an archive's extracted one), so
``inspecpy exec profiles/mlsvs -t ssh://host`` checks the host's model
against the reference data the profile carries::

    >>> import os, tempfile
    >>> root = tempfile.mkdtemp(); os.mkdir(os.path.join(root, "files"))
    >>> _ = open(os.path.join(root, "files", "ref.csv"), "w").write("a\\n1\\n")
    >>> ref = ProfileFile(root, "files/ref.csv")
    >>> ref == os.path.join(root, "files", "ref.csv"), ref.target.read(ref)
    (True, b'a\\n1\\n')
    >>> ProfileFile(root, "../outside").target.read(os.path.join(root, "..", "outside"))
    Traceback (most recent call last):
    ...
    inspecpy.errors.TargetError: ... is outside the profile ...
"""

from __future__ import annotations

import os
from functools import cached_property
from typing import Any, BinaryIO

from inspecpy.context import current_run
from inspecpy.errors import TargetError
from inspecpy.targets.base import CommandResult, FileStat
from inspecpy.targets.local import LocalTarget


class ProfileFile(str):
    """The absolute local path of a file of the profile in *root*; read from the profile, not the target."""

    root: str

    def __new__(cls, root: str, relative: str) -> "ProfileFile":
        root = os.path.abspath(root)
        path = super().__new__(cls, os.path.normpath(os.path.join(root, relative)))
        path.root = root
        return path

    @cached_property
    def target(self) -> "ProfileTarget":
        """Where this file is read: the profile's folder on this machine."""
        return ProfileTarget(self.root)

    def __reduce__(self):
        return (ProfileFile, (self.root, os.path.relpath(self, self.root)))


class ProfileTarget(LocalTarget):
    """This machine's files under one profile folder, read-only: nothing runs, nothing outside is read."""

    scheme = "profile"
    description = "the files a profile ships (read-only)"

    def __init__(self, root: str):
        super().__init__(f"profile://{root}")
        self.root = os.path.realpath(root)

    def _inside(self, path: str) -> str:
        real = os.path.realpath(path)
        if os.path.commonpath([real, self.root]) != self.root:
            raise TargetError(f"{path} is outside the profile {self.root}: a profile file must be inside its "
                              "profile folder")
        return path

    def _run(self, command: str, timeout: float | None) -> CommandResult:
        raise TargetError(f"{command!r}: commands run on the target being checked, not on a profile's files")

    def _stat(self, path: str) -> FileStat:
        return super()._stat(self._inside(path))

    def _open(self, path: str) -> BinaryIO:
        return super()._open(self._inside(path))

    def _listdir(self, path: str) -> list[str]:
        return super()._listdir(self._inside(path))


def profile_path(path: Any) -> Any:
    """*path* as a :class:`ProfileFile` when it is relative and a profile's controls are running.

    An absolute path, ``~/…``, a ProfileFile or anything that is not text is
    returned unchanged (read on the target); so is every path outside a
    profile's run (the run's folder: :class:`inspecpy.context.RunContext`).
    """
    run = current_run()
    folder = run.folder if run is not None else ""
    if not folder or not isinstance(path, (str, os.PathLike)) or isinstance(path, ProfileFile):
        return path
    text = os.fspath(path)
    if os.path.isabs(text) or text.startswith("~"):
        return path
    return ProfileFile(folder, text)


def target_of(path: Any, checked):
    """The target that holds *path*: a ProfileFile's profile, else *checked* (the target being checked)."""
    return path.target if isinstance(path, ProfileFile) else checked
