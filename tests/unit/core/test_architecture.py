"""The architecture of docs/architecture.md, checked: layers, no import cycles, a light start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("numpy", "paramiko", "jinja2", "yaml", "pluggy", "cryptography", "onnxruntime")


def test_import_linter_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_no_import_cycles_anywhere_in_the_package():
    graph = grimp.build_graph("inspecpy", exclude_type_checking_imports=True)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module and graph.chain_exists(importer=imported, imported=module):
                cycles.append(f"{module} -> {imported} -> … -> {module}")
    assert not cycles, "\n".join(cycles)


def test_version_loads_no_heavy_module():
    code = ("import sys; from inspecpy.cli import main; main(['--version']); "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "[]"


def test_a_plain_checkout_says_what_to_do(tmp_path):
    """Without installing, ``inspecpy.reporters`` (reporters/ mapped at install) is missing: one clear line.

    ``-S`` skips site's .pth files, so the editable install's path hook is not there: the third-party
    packages are importable (from PYTHONPATH) but inspecpy is only the folder in the working directory.
    """
    (tmp_path / "inspecpy").symlink_to(ROOT / "inspecpy")
    (tmp_path / "profiles").symlink_to(ROOT / "profiles")
    run = subprocess.run([sys.executable, "-S", "-m", "inspecpy", "plugins"], cwd=tmp_path, capture_output=True,
                         text=True, env={"PATH": os.environ["PATH"], "PYTHONPATH": os.pathsep.join(
                             p for p in sys.path if p.endswith("site-packages"))})
    assert run.returncode == 1
    assert "inspecpy: error: the built-in reporters are not importable" in run.stderr, run.stderr
