"""``inspec.yml``: read, validated and answered by one frozen object.

::

    meta = ProfileMetadata.read("profiles/example")
    meta.name, meta.version            # ('example', '1.0.0')
    meta.unsupported_on(platform)      # None, or why the profile skips this platform
    list(meta.findings())              # check's warnings: missing title, unknown fields...

InSpec's file name and fields, so profiles migrate: ``name`` (required),
``title``, ``maintainer``, ``copyright``, ``copyright_email``, ``license``,
``summary``, ``version``, ``supports``, ``depends``, ``inputs`` (or the older
``attributes``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Iterator, Mapping

import yaml

from inspecpy.errors import Problem, ProfileError, Where
from inspecpy.yaml_errors import yaml_problem

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.results import Platform

METADATA_FILE = "inspec.yml"
TEXT_FIELDS = ("name", "title", "maintainer", "copyright", "copyright_email", "license", "summary", "version")
LIST_FIELDS = ("supports", "depends", "inputs", "attributes")
KNOWN_FIELDS = frozenset(TEXT_FIELDS + LIST_FIELDS + ("description", "inspec_version", "gem_dependencies"))
RECOMMENDED = ("title", "maintainer", "copyright", "license", "summary", "version")
SUPPORTS_KEYS = frozenset({"platform-family", "platform-name", "platform", "release", "os-family", "os-name",
                           "inspec"})
_PLATFORM_KEYS = ("platform-family", "platform-name", "platform", "os-family", "os-name")


@dataclass(frozen=True)
class ProfileMetadata:
    """The fields of one ``inspec.yml`` (``raw`` keeps the file as written, read-only)."""

    path: str
    raw: Mapping[str, Any]

    @classmethod
    def read(cls, profile_path: str) -> "ProfileMetadata":
        """Read and check ``inspec.yml`` of the profile folder; every problem is a one-line ProfileError."""
        if not os.path.exists(profile_path):
            raise ProfileError(f"profile not found: {profile_path}")
        if not os.path.isdir(profile_path):
            raise ProfileError(f"not a profile directory: {profile_path}")
        path = os.path.join(profile_path, METADATA_FILE)
        where = Where(path)
        if not os.path.isfile(path):
            raise ProfileError(where, "missing (every profile needs an inspec.yml with a name)")
        try:
            with open(path, encoding="utf-8") as handle:
                data = yaml.safe_load(handle)
        except yaml.YAMLError as error:
            problem = yaml_problem(path, error)
            raise ProfileError(problem.where, f"not valid YAML: {problem.message}") from None
        except UnicodeDecodeError:
            raise ProfileError(where, "not UTF-8 text") from None
        return cls.from_mapping(path, data)

    @classmethod
    def from_mapping(cls, path: str, data: Any) -> "ProfileMetadata":
        """Check *data* (the parsed file at *path*)."""
        where = Where(path)
        if not isinstance(data, dict):
            raise ProfileError(where, "must be a YAML mapping with at least 'name'")
        if not data.get("name"):
            raise ProfileError(where, "'name' is required")
        for key in TEXT_FIELDS:
            if data.get(key) is not None and not isinstance(data[key], (str, int, float)):
                raise ProfileError(where, f"'{key}' must be a string")
        for key in LIST_FIELDS:
            if data.get(key) is not None and not isinstance(data[key], list):
                raise ProfileError(where, f"'{key}' must be a list")
        return cls(path, MappingProxyType(dict(data)))

    # ------------------------------------------------------------ fields
    def text(self, key: str) -> str | None:
        """A text field (``title``, ``version``…) as a string, or None."""
        value = self.raw.get(key)
        return None if value is None else str(value)

    @property
    def name(self) -> str:
        return str(self.raw["name"])

    @property
    def version(self) -> str | None:
        return self.text("version")

    @property
    def supports(self) -> tuple[Any, ...]:
        return tuple(self.raw.get("supports") or ())

    @property
    def depends(self) -> tuple[Any, ...]:
        return tuple(self.raw.get("depends") or ())

    @property
    def inputs(self) -> list[Any]:
        """The ``inputs:`` entries (or InSpec's older ``attributes:``)."""
        return list(self.raw.get("inputs") or self.raw.get("attributes") or [])

    # ------------------------------------------------------------ answers
    def unsupported_on(self, platform: "Platform") -> str | None:
        """None when ``supports`` admits *platform*, else InSpec's skip message."""
        if not self.supports:
            return None
        for entry in self.supports:
            if not isinstance(entry, dict):
                continue
            wanted = [str(entry[k]) for k in _PLATFORM_KEYS if entry.get(k)]
            if any(w in ("unix", "os") or platform.in_family(w) or w == platform.name for w in wanted):
                release = entry.get("release")
                if release is None or str(platform.release).startswith(str(release).rstrip("*").rstrip(".")):
                    return None
        return f"Skipping profile: '{self.name}' on unsupported platform: '{platform.name}/{platform.release}'."

    def findings(self) -> Iterator[tuple[str, Problem]]:
        """``(level, problem)`` for fields the loader accepts but ``check`` reports."""
        where = METADATA_FILE
        for key in RECOMMENDED:
            if not self.raw.get(key):
                yield "warning", Problem(f"missing profile {key}", where)
        for key in sorted(set(map(str, self.raw)) - KNOWN_FIELDS):
            yield "warning", Problem(f"unknown field {key!r}", where)
        version = self.raw.get("version")
        if version is not None and not re.fullmatch(r"\d+\.\d+\.\d+([-+.][0-9A-Za-z.-]+)?", str(version)):
            yield "warning", Problem(f"version {version!r} is not a semantic version (like 1.2.3)", where)
        for entry in self.supports:
            if not isinstance(entry, dict):
                yield "error", Problem(f"each 'supports' entry must be a mapping like {{platform-family: linux}}, "
                                       f"got {entry!r}", where)
                continue
            for key in sorted(set(map(str, entry)) - SUPPORTS_KEYS):
                yield "error", Problem(f"unknown 'supports' key {key!r} (known: {', '.join(sorted(SUPPORTS_KEYS))})",
                                       where)
