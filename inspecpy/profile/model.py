"""What a loaded profile is: :class:`Profile`, and the walk over it and its dependencies.

The data model sits below the loader (:mod:`.loader` builds it; the runner,
archive, check and export read it), so nothing here imports them::

    for profile in walk_profiles([wrapper]):    # the wrapper, then each dependency, depth first
        print(profile.name, len(profile.controls))
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from inspecpy.dsl.controls import Control
from inspecpy.digests import feed
from inspecpy.errors import Problem
from inspecpy.profile.inputs import InputSet
from inspecpy.profile.metadata import METADATA_FILE, ProfileMetadata
from inspecpy.results import Group

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.resources.base import Resource

__all__ = ["Profile", "walk_profiles", "profile_sha256", "METADATA_FILE"]


@dataclass
class Profile:
    """A loaded profile: metadata, inputs, resources in scope and controls."""

    path: str
    metadata: ProfileMetadata
    inputs: InputSet
    resources: dict[str, type[Resource]]
    controls: list[Control] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    library_names: dict[str, Any] = field(default_factory=dict)
    sha256: str = ""
    parent: str | None = None
    dependencies: dict[str, "Profile"] = field(default_factory=dict)
    source: str = ""
    archive: Any = None  # the archive's Verification when loaded from one

    @property
    def name(self) -> str:
        return self.metadata.name


def walk_profiles(profiles: "Iterable[Profile]") -> "list[Profile]":
    """Each profile followed by its dependency profiles, depth first (the report's order)."""
    out: list[Profile] = []
    for profile in profiles:
        out.append(profile)
        out += walk_profiles(list(profile.dependencies.values()))
    return out


def profile_sha256(path: str) -> str:
    """A digest of every file of the profile (names and bytes), order-independent."""
    digest = hashlib.sha256()
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            full = os.path.join(root, name)
            digest.update(os.path.relpath(full, path).encode() + b"\0")
            with open(full, "rb") as handle:
                feed(digest, handle)
    return digest.hexdigest()
