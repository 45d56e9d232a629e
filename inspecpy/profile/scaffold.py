"""``inspecpy init``: new profiles and resources from the Jinja2 templates in ``templates/init/``.

A template folder holds files; ``*.j2`` files are rendered (and lose the
suffix), others are copied. ``profile/_shared`` goes into every profile::

    written = init_profile("my-profile", template="linux")
    written = init_resource("login_shells", profile="my-profile")

A new profile passes ``inspecpy check`` and runs; the ``basic`` one shows a
Python control, a YAML control, an input and a custom resource with its test.
"""

from __future__ import annotations

import getpass
import os
import re
from typing import Any

from inspecpy.errors import UsageError
from inspecpy.plugins import registry

TEMPLATE_ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "templates", "init")
TEMPLATES = ("basic", "linux", "ml")
_PROFILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_RESOURCE_NAME = re.compile(r"[a-z][a-z0-9_]*")

#: The custom resource every ``basic`` profile ships (rendered from the ``init resource`` templates).
BASIC_LIBRARY = {"name": "login_shells", "path": "/etc/shells", "example": "/bin/sh"}


def _environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_ROOT), keep_trailing_newline=True,
                              undefined=jinja2.StrictUndefined, autoescape=False)  # noqa: S701 - code, not HTML


def _render_tree(folder: str, dest: str, context: dict[str, Any]) -> dict[str, str]:
    """Relative destination path → text, for every file under templates/init/*folder*."""
    env = _environment()
    out: dict[str, str] = {}
    base = os.path.join(TEMPLATE_ROOT, folder)
    for root, _, names in os.walk(base):
        for name in sorted(names):
            source = os.path.relpath(os.path.join(root, name), TEMPLATE_ROOT).replace(os.sep, "/")
            rel = os.path.relpath(os.path.join(root, name), base)
            if name.endswith(".j2"):
                out[os.path.join(dest, rel[:-3])] = env.get_template(source).render(**context)
            else:
                with open(os.path.join(root, name), encoding="utf-8") as handle:
                    out[os.path.join(dest, rel)] = handle.read()
    return out


def _write(files: dict[str, str], overwrite: bool) -> list[str]:
    clashes = [p for p in files if os.path.exists(p)]
    if clashes and not overwrite:
        raise UsageError(f"{clashes[0]} already exists (use --overwrite to replace it)")
    for path, text in sorted(files.items()):
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    return sorted(files)


def class_name(name: str) -> str:
    """``login_shells`` → ``LoginShells``."""
    return "".join(part.capitalize() for part in name.split("_"))


def resource_files(name: str, profile: str, path: str | None = None, example: str = "example") -> dict[str, str]:
    """The library module and its test for resource *name*, rendered (not written)."""
    context = {"name": name, "class_name": class_name(name), "path": path or f"/etc/{name}", "example": example}
    env = _environment()
    return {
        os.path.join(profile, "libraries", f"{name}.py"): env.get_template("resource/library.py.j2").render(**context),
        os.path.join(profile, "tests", f"test_{name}.py"): env.get_template("resource/test.py.j2").render(**context),
    }


def _demo_model(folder: str) -> str:
    """Write the ml template's demo network and test data into *folder*; return the model's SHA-256.

    The network says class 1 when ``x1 > x0``: a 2x2 softmax layer, inputs in 0..1.
    """
    import hashlib

    import numpy as np

    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(7)
    points = rng.uniform(0, 1, size=(200, 2))
    points = points[np.abs(points[:, 0] - points[:, 1]) > 0.1][:60]
    labels = (points[:, 1] > points[:, 0]).astype(int)
    with open(os.path.join(folder, "test.csv"), "w", encoding="utf-8") as handle:
        handle.write("x0,x1,label\n")
        handle.writelines(f"{a:.4f},{b:.4f},{y}\n" for (a, b), y in zip(points, labels))
    model = os.path.join(folder, "model.npz")
    np.savez(model, W0=np.array([[4.0, -4.0], [-4.0, 4.0]]), b0=np.zeros(2),
             clip_min=np.array(0.0), clip_max=np.array(1.0))
    with open(model, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def init_profile(path: str, template: str = "basic", maintainer: str | None = None,
                 overwrite: bool = False) -> list[str]:
    """Create a profile at *path* from *template*; return the files written."""
    if template not in TEMPLATES:
        raise UsageError(f"unknown template {template!r} (known: {', '.join(TEMPLATES)})")
    name = os.path.basename(os.path.normpath(path))
    if not _PROFILE_NAME.fullmatch(name):
        raise UsageError(f"{name!r} is not a usable profile name (letters, digits, '.', '_', '-')")
    if os.path.isfile(path):
        raise UsageError(f"{path} is a file")
    if os.path.isdir(path) and os.listdir(path) and not overwrite:
        raise UsageError(f"{path} already exists and is not empty (use --overwrite to write into it)")
    try:
        user = maintainer or getpass.getuser()
    except (KeyError, OSError):
        user = "The Authors"
    context = {"name": name, "title": f"{name.replace('-', ' ').replace('_', ' ').title()} Profile",
               "maintainer": user, "template": template, "model_sha256": ""}
    files_dir = os.path.join(path, "files")
    os.makedirs(files_dir, exist_ok=True)
    written = []
    if template == "ml":
        context["model_sha256"] = _demo_model(files_dir)
        written += [os.path.join(files_dir, "model.npz"), os.path.join(files_dir, "test.csv")]
    files = {**_render_tree("profile/_shared", path, context), **_render_tree(f"profile/{template}", path, context)}
    if template == "basic":
        files.update(resource_files(profile=path, **BASIC_LIBRARY))
    return sorted(written + _write(files, overwrite))


def init_resource(name: str, profile: str = ".", path: str | None = None, overwrite: bool = False) -> list[str]:
    """Add resource *name* to the profile at *profile*: ``libraries/NAME.py`` and ``tests/test_NAME.py``."""
    if not _RESOURCE_NAME.fullmatch(name):
        raise UsageError(f"{name!r} is not a usable resource name (lower case letters, digits and '_')")
    if name in registry().resources:
        raise UsageError(f"a resource named {name!r} is already registered; choose another name")
    if not os.path.isfile(os.path.join(profile, "inspec.yml")):
        raise UsageError(f"{profile} is not a profile (no inspec.yml); use --profile DIR")
    return _write(resource_files(name, profile, path), overwrite)
