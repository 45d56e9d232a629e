"""The exceptions inspecpy raises on purpose.

Every one of them carries a one-line message that names what is wrong; the
command line prints it (no traceback unless ``--debug``) and exits with the
code the class declares.
"""


class InspecpyError(Exception):
    """Base class: a user-facing error with a one-line message."""

    exit_code = 1


class UsageError(InspecpyError):
    """The command line is wrong (unknown reporter, bad regex, ...)."""


class ProfileError(InspecpyError):
    """A profile cannot be read: missing path, bad inspec.yml, duplicate ids."""


class InputError(InspecpyError):
    """An input is missing, required without a value, or of the wrong type."""


class ArchiveError(ProfileError):
    """A profile archive is corrupt or unsafe (path traversal, links outside, devices, oversized)."""


class WaiverError(InspecpyError):
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
