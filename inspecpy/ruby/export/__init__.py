"""``inspecpy import RUBY_PROFILE OUT_DIR``: an InSpec Ruby profile rewritten as an inspecpy Python profile.

One Python file per Ruby file (``controls/x.rb`` → ``controls/x.py``,
``libraries/y.rb`` → ``libraries/y.py``), comments kept, ``inspec.yml``
and ``files/`` copied; whatever has no translation is a ``# TODO`` naming
the construct, file and line, and is listed in the returned report::

    report = import_profile("ssh-baseline", "ssh-baseline-py")
    report.files, report.todos
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field

from inspecpy.errors import ProfileError, UsageError

COPIED = ("inspec.yml", "README.md", "LICENSE", "CHANGELOG.md")


@dataclass
class ImportReport:
    files: list[str] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)


def import_profile(source: str, target: str) -> ImportReport:
    """Write the Python profile for the Ruby profile at *source* into *target* (a new or empty folder)."""
    from inspecpy.plugins import registry
    from inspecpy.ruby import ruby_files
    from inspecpy.ruby.export.controls import ControlFileTranslator
    from inspecpy.ruby.export.library import LibraryTranslator
    from inspecpy.ruby.syntax import parse_file

    if not os.path.isfile(os.path.join(source, "inspec.yml")):
        raise ProfileError(f"{source}: not a profile (no inspec.yml)")
    if os.path.exists(target) and (not os.path.isdir(target) or os.listdir(target)):
        raise UsageError(f"{target}: exists and is not an empty folder")
    libraries = ruby_files(os.path.join(source, "libraries"))
    controls = ruby_files(os.path.join(source, "controls"))
    if not libraries and not controls:
        raise ProfileError(f"{source}: no controls/*.rb or libraries/*.rb to import")
    parsed = {path: parse_file(path, os.path.relpath(path, source)) for path in libraries + controls}
    library_resources = _library_resource_names([parsed[p] for p in libraries])
    resources = set(registry().resources)
    report = ImportReport()
    os.makedirs(target, exist_ok=True)
    for name in COPIED:
        if os.path.isfile(os.path.join(source, name)):
            shutil.copy2(os.path.join(source, name), os.path.join(target, name))
    if os.path.isdir(os.path.join(source, "files")):
        shutil.copytree(os.path.join(source, "files"), os.path.join(target, "files"))
    for path in libraries + controls:
        translator_class = LibraryTranslator if path in libraries else ControlFileTranslator
        translator = translator_class(parsed[path], resources, library_resources)
        text = translator.translate()
        rel = os.path.splitext(os.path.relpath(path, source))[0] + ".py"
        out = os.path.join(target, rel)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(text)
        report.files.append(rel)
        report.todos += translator.out.todos
    return report


def _library_resource_names(sources) -> set[str]:
    names = set()
    for source in sources:
        for node in source.tree.walk():
            if node.type == "call" and node.field("receiver") is None and node.field("method") is not None \
                    and node.field("method").text == "name":
                arguments = node.field("arguments")
                kids = [k for k in (arguments.kids if arguments is not None else []) if k.type == "string"]
                if kids:
                    names.add("".join(k.text or "" for k in kids[0].kids))
    return names
