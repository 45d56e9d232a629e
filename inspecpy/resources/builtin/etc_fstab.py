"""The ``etc_fstab`` resource: ``/etc/fstab`` as a filter table."""

from __future__ import annotations

import re

from inspecpy.resources.filtering import Column, FileTable

_ESCAPE = re.compile(r"\\([0-7]{3})")


def unescape(field: str) -> str:
    """fstab/mtab octal escapes: ``/mnt/my\\040disk`` → ``/mnt/my disk``."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), field)


def parse_mount_table(text: str) -> list[dict]:
    """``/etc/fstab`` or ``/proc/mounts`` lines → rows (options as a list)."""
    rows = []
    for line in text.splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#") or len(fields) < 3:
            continue
        fields += ["defaults", "0", "0"][len(fields) - 3:]
        rows.append({
            "device_name": unescape(fields[0]), "mount_point": unescape(fields[1]),
            "file_system_type": fields[2], "mount_options": fields[3].split(","),
            "dump_options": int(fields[4]) if fields[4].isdigit() else fields[4],
            "file_system_options": int(fields[5]) if fields[5].isdigit() else fields[5],
        })
    return rows


class EtcFstab(FileTable):
    """The filesystems ``/etc/fstab`` mounts.

    Python::

        describe(etc_fstab().where(mount_point="/tmp")).its("mount_options").should.eq([["nodev", "nosuid", "noexec"]])
        describe(etc_fstab().where(file_system_type="nfs")).should_not.exist()

    YAML::

        - etc_fstab: null
          its: {mount_points: {include: /}}
    """

    name = "etc_fstab"
    display_name = "File System Table"

    default_path = "/etc/fstab"
    parse = staticmethod(parse_mount_table)

    device_names = Column("device_name")
    mount_points = Column("mount_point")
    file_system_types = Column("file_system_type")
    mount_options = Column("mount_options", "One list of options per row.")
    dump_options = Column("dump_options")
    file_system_options = Column("file_system_options", "The fsck pass numbers.")
