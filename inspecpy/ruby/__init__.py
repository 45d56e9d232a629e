"""InSpec profiles written in Ruby, run as they are — and migrated to Python with ``inspecpy import``.

``controls/*.rb`` and ``libraries/*.rb`` are parsed with tree-sitter
(:mod:`.syntax`, cached by digest) and evaluated (:mod:`.evaluator`) into the
engine's own control, describe and matcher objects (:mod:`.engine` is the
one module that touches them), so reporters, waivers, inputs, filters and
targets treat Ruby controls like Python ones. The loader calls
:func:`load_ruby`; ``inspecpy check`` calls :func:`ruby_findings`;
``inspecpy import`` uses :mod:`.export`. Needs the ``ruby`` extra
(``tree-sitter``, ``tree-sitter-ruby``), imported only when a profile has
Ruby files.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.errors import Problem
    from inspecpy.profile.loader import Profile


def ruby_files(folder: str) -> list[str]:
    if not os.path.isdir(folder):
        return []
    return sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".rb") and not n.startswith("."))


def load_ruby(profile: "Profile", namespace: dict[str, Any]) -> None:
    """Load *profile*'s ``libraries/*.rb`` and ``controls/*.rb`` (nothing happens when it has none)."""
    libraries = ruby_files(os.path.join(profile.path, "libraries"))
    controls = ruby_files(os.path.join(profile.path, "controls"))
    if libraries or controls:
        from inspecpy.ruby.loading import load_files

        load_files(profile, namespace, libraries, controls)


def ruby_findings(profile: "Profile") -> Iterator["Problem"]:
    """``inspecpy check``: every construct of the profile's Ruby files that inspecpy does not evaluate
    (and every ``input`` used without a default that ``inspec.yml`` does not declare)."""
    files = ruby_files(os.path.join(profile.path, "libraries")) + ruby_files(os.path.join(profile.path, "controls"))
    if files:
        from inspecpy.ruby.scan import findings

        yield from findings(profile, files)
