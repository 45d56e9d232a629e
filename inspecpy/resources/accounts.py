"""Account databases read through a target: NSS first (``getent``), the files as fallback.

Shared by ``users`` and ``shadow`` so every account resource reads the same way::

    passwd_entries(target)[0]["user"]        # 'root'
    parse_shadow("root:!:19000:0:99999:7:::\\n")[0]["max_days"]   # 99999
"""

from __future__ import annotations

from inspecpy.errors import TargetError
from inspecpy.resources.parsers import parse_colon_file, parse_group, parse_passwd

SHADOW_FIELDS = ("user", "password", "last_change", "min_days", "max_days", "warn_days",
                 "inactive_days", "expiry_date", "reserved")


def parse_shadow(text: str) -> list[dict]:
    """``/etc/shadow`` lines; numeric fields become ints, empty ones None."""
    entries = parse_colon_file(text, SHADOW_FIELDS)
    for entry in entries:
        for key in SHADOW_FIELDS[2:8]:
            value = (entry.get(key) or "").strip()
            entry[key] = int(value) if value.lstrip("-").isdigit() else None
    return entries


def _database(target, name: str, path: str) -> str:
    result = target.run("getent {}", name)
    return result.stdout if result.exit_status == 0 and result.stdout.strip() else target.read_text(path)


def passwd_entries(target) -> list[dict]:
    """Every account (``getent passwd``, else ``/etc/passwd``)."""
    return parse_passwd(_database(target, "passwd", "/etc/passwd"))


def group_entries(target) -> list[dict]:
    """Every group (``getent group``, else ``/etc/group``)."""
    return parse_group(_database(target, "group", "/etc/group"))


def shadow_entries(target, path: str = "/etc/shadow") -> list[dict] | None:
    """The shadow file's entries, or None when it cannot be read (not root)."""
    try:
        return parse_shadow(target.read_text(path))
    except TargetError:
        return None
