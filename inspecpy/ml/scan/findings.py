"""What a static scan found: globals, unsafe names, problems, notes.

One :class:`Findings` is shared by all the scanners that look at one file
(a zip's pickles, an npz's object arrays, a joblib's nested pickles).

Example::

    >>> f = Findings(); _ = f.record("os", "system", Limits()); _ = f.record("numpy", "dtype", Limits())
    >>> list(f.globals), list(f.unsafe)
    (['os.system', 'numpy.dtype'], ['os.system'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import BinaryIO, Callable

from inspecpy.ml.scan.allowlist import display, is_allowed
from inspecpy.ml.reader import Limits


@dataclass
class Findings:
    """What a scan found; shared by the nested scans of one file.

    ``problems`` are reasons the file is not safe other than globals (a
    Keras Lambda layer, an unchecked part); ``notes`` are informative.
    """

    globals: dict[str, None] = field(default_factory=dict)  # ordered set
    unsafe: dict[str, None] = field(default_factory=dict)
    streams: int = 0
    opcodes: int = 0
    joblib: bool = False
    torch_legacy: bool = False
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    format: str = ""  # set by container scanners as soon as they know it
    external: list[str] = field(default_factory=list)  # ONNX external-data locations
    #: Scans an embedded file (a Keras TorchModuleWrapper's pickle) as a file of its own, merging what it
    #: finds here; set by the scanner of the file, so a format scanner never imports the scanner.
    scan_embedded: Callable[[BinaryIO, str], None] | None = field(default=None, repr=False, compare=False)

    def record(self, module: str, name: str, limits: Limits) -> str:
        """Record the global ``(module, name)``; return how it is shown."""
        shown = display(module, name)
        self.globals[shown] = None
        if not is_allowed(module, name, limits.allow):
            self.unsafe[shown] = None
        return shown

    def flag(self, what: str) -> None:
        """Record something unsafe that is not a plain global (shown among unsafe globals)."""
        self.globals[what] = None
        self.unsafe[what] = None
