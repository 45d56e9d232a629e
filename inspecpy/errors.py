"""The exceptions inspecpy raises on purpose, and :class:`Problem`, a located message.

Every one of them carries a one-line message that names what is wrong; the
command line prints it (no traceback unless ``--debug``) and exits with the
code the class declares. A profile's problems carry their file and line as
data, so ``check`` and the reports never parse them back out of text::

    >>> error = ProfileError(Where("controls/a.yml", 3), "unknown resource 'fiel'")
    >>> str(error)
    "controls/a.yml:3: unknown resource 'fiel'"
    >>> error.problem.line
    3
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Where:
    """A place in a profile's files: a file, and a line when known."""

    file: str
    line: int | None = None

    @property
    def place(self) -> str:
        """``file:line`` (or ``file``), as a message names it."""
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        return f"{self.place}: "


@dataclass(frozen=True)
class Problem:
    """A message about a profile, with the file and line it is about (when known)."""

    message: str
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.where}{self.message}" if self.file else self.message

    @property
    def where(self) -> Where:
        """The file and line, to raise a located error about this problem (``?`` without a file)."""
        return Where(self.file or "?", self.line)

    def relative_to(self, root: str) -> "Problem":
        """The same problem with its file relative to *root* (when it lies below it)."""
        import os

        if not self.file:
            return self
        rel = os.path.relpath(self.file, root)
        return self if rel.startswith("..") else Problem(self.message, rel, self.line)


class InspecpyError(Exception):
    """Base class: a user-facing error with a one-line message."""

    exit_code = 1


class UsageError(InspecpyError):
    """The command line is wrong (unknown reporter, bad regex, ...)."""


class LocatedError(InspecpyError):
    """An error about a place in a profile's files: ``Error(where, message)``, ``Error(problem)``
    (a :class:`Problem`, as it is) or ``Error(message)``."""

    def __init__(self, *parts: object):
        if len(parts) == 1 and isinstance(parts[0], Problem):
            self.problem = parts[0]
        else:
            where = parts[0] if parts and isinstance(parts[0], Where) else None
            message = " ".join(str(p) for p in (parts[1:] if where else parts))
            self.problem = Problem(message, where.file, where.line) if where else Problem(message)
        super().__init__(str(self.problem))


class ProfileError(LocatedError):
    """A profile cannot be read: missing path, bad inspec.yml, duplicate ids."""


class InputError(LocatedError):
    """An input is missing, required without a value, or of the wrong type."""


class ArchiveError(ProfileError):
    """A profile archive is corrupt or unsafe (path traversal, links outside, devices, oversized)."""


class WaiverError(LocatedError):
    """A waiver file cannot be used: unreadable, not YAML, bad date, no justification."""


class SignatureError(InspecpyError):
    """A profile archive's signature or manifest does not verify (InSpec's exit code 5)."""

    exit_code = 5


class TargetError(InspecpyError):
    """A target cannot be reached or answered a probe with an error."""


class CommandTimeout(TargetError):
    """A command on the target ran longer than ``--command-timeout``."""


class ResourceSkipped(Exception):
    """Raised by a resource that does not apply to the target (a skip, not a failure)."""


class ResourceFailed(TargetError):
    """The target's state keeps a resource from answering (its file is missing): a failed
    result carrying this message and no exception or backtrace, as InSpec's ResourceFailed."""


class ControlSkipped(Exception):
    """Raised by :func:`inspecpy.skip` inside a control."""


class UnboundTarget(TargetError):
    """A resource was probed where no target is bound: while a profile loads, or in a
    thread without the run's context. Never silently this machine."""


def read_text_file(path: str, what: str, error: type[InspecpyError] = UsageError) -> str:
    """The UTF-8 text of the file *path* a user named; *error* with one line when it cannot be read or decoded::

        read_text_file("w.yml", "waiver file", WaiverError)
        # WaiverError: cannot read waiver file w.yml: No such file or directory
        # WaiverError: waiver file w.yml: not UTF-8 text
    """
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as problem:
        raise error(f"cannot read {what} {path}: {problem.strerror}") from None
    except UnicodeDecodeError:
        raise error(f"{what} {path}: not UTF-8 text") from None
