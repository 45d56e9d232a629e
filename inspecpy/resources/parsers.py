"""Pure parsers of probe output, shared by resources and tested without a host.

>>> parse_key_value("PASS_MAX_DAYS 90\\n# c\\nUMASK 022\\n")
{'PASS_MAX_DAYS': '90', 'UMASK': '022'}
"""

from __future__ import annotations

import re


def parse_key_value(text: str, separator: str | None = None, comment: str = "#",
                    multiple: bool = False) -> dict:
    """``key value`` (or ``key<separator>value``) lines; later keys win unless *multiple*."""
    params: dict = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or (comment and line.startswith(comment)):
            continue
        if separator is None:
            parts = line.split(None, 1)
        else:
            parts = [p.strip() for p in line.split(separator, 1)]
        key = parts[0]
        value = parts[1].strip() if len(parts) > 1 else ""
        if multiple:
            params.setdefault(key, []).append(value)
        else:
            params[key] = value
    return params


def parse_colon_file(text: str, fields: tuple[str, ...]) -> list[dict]:
    """``/etc/passwd``-style files into dicts named by *fields*; ids become ints."""
    entries = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split(":")
        values = dict(zip(fields, parts + [""] * (len(fields) - len(parts))))
        entry: dict[str, str | int] = dict(values)
        for key in ("uid", "gid"):
            if re.fullmatch(r"\d+", values.get(key, "")):
                entry[key] = int(values[key])
        entries.append(entry)
    return entries


PASSWD_FIELDS = ("user", "password", "uid", "gid", "desc", "home", "shell")
GROUP_FIELDS = ("name", "password", "gid", "members")


def parse_passwd(text: str) -> list[dict]:
    return parse_colon_file(text, PASSWD_FIELDS)


def parse_group(text: str) -> list[dict]:
    entries = parse_colon_file(text, GROUP_FIELDS)
    for entry in entries:
        entry["members"] = [m for m in (entry.get("members") or "").split(",") if m]
    return entries


def to_number(value: str):
    """``'1'`` → 1, ``'0.5'`` → 0.5, anything else unchanged."""
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?\d+", text):
            return int(text)
        if re.fullmatch(r"-?\d+\.\d+", text):
            return float(text)
    return value
