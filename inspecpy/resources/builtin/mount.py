"""The ``mount`` resource: whether a path is a mount point, and how it is mounted."""

from __future__ import annotations

from functools import cached_property

from inspecpy.errors import TargetError
from inspecpy.resources.base import Resource
from inspecpy.resources.builtin.etc_fstab import parse_mount_table


class Mount(Resource):
    """A mount point, from ``/proc/mounts`` (the ``mount`` command where /proc is absent).

    When a path is mounted several times, the last (visible) mount is described.

    Python::

        describe(mount("/tmp")).should.be_mounted()
        describe(mount("/dev/shm")).its("options").should.include("noexec")
        describe(mount("/")).its("type").should.eq("ext4")

    YAML::

        - mount: /dev/shm
          should: [be_mounted]
          its: {options: {include: [nodev, nosuid]}}
    """

    name = "mount"
    supports = ("unix",)

    def __init__(self, path: str):
        super().__init__()
        self.path = path.rstrip("/") or "/"

    @property
    def resource_id(self) -> str:
        return self.path

    @cached_property
    def entries(self) -> list[dict]:
        """Every mount of the path (device_name, mount_point, file_system_type, mount_options)."""
        try:
            text = self.target.read_text("/proc/mounts")
        except TargetError:
            text = self._from_mount_command()
        return [e for e in parse_mount_table(text) if e["mount_point"] == self.path]

    def _from_mount_command(self) -> str:
        """``dev on /path type fs (opts)`` → /proc/mounts lines."""
        result = self.target.run("mount")
        lines = []
        for line in result.stdout.splitlines():
            device, _, rest = line.partition(" on ")
            point, _, rest = rest.partition(" type ")
            fs, _, opts = rest.partition(" ")
            if point:
                lines.append(f"{device} {point.replace(' ', chr(92) + '040')} {fs} {opts.strip('()') or 'defaults'}")
        return "\n".join(lines)

    @property
    def _last(self) -> dict:
        return self.entries[-1] if self.entries else {}

    @property
    def mounted(self) -> bool:
        return bool(self.entries)

    @property
    def count(self) -> int:
        """How many times the path is mounted."""
        return len(self.entries)

    @property
    def device(self) -> str | None:
        return self._last.get("device_name")

    @property
    def type(self) -> str | None:
        return self._last.get("file_system_type")

    @property
    def options(self) -> list[str]:
        return list(self._last.get("mount_options", []))
