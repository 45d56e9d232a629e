"""A checked target whose files live in a dict, counting every open: proves a resource reads through the target."""

from __future__ import annotations

import io

from inspecpy.targets.base import FileStat, Target


class MemoryTarget(Target):
    """``MemoryTarget({"/srv/d.csv": b"a,b\\n1,2\\n"})``: ``opened`` lists every path opened, in order."""

    scheme = "memory"

    def __init__(self, files: dict[str, bytes]):
        super().__init__("memory://")
        self.files, self.opened = files, []

    def _open(self, path):
        self.opened.append(path)
        if path not in self.files:
            raise FileNotFoundError(path)
        return io.BytesIO(self.files[path])

    def _stat(self, path):
        known = path in self.files
        return FileStat(path, exists=known, type="file" if known else None,
                        size=len(self.files[path]) if known else None)
