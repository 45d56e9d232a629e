"""Running zizmor (the GitHub Actions auditor, a pip-installed Rust binary) and reading its JSON.

zizmor audits what a file *is* in ~30 ways; we integrate it instead of
re-writing its audits. It runs on this machine (``--offline``: no network,
no token) over a mirror of the target's files, so a checkout over SSH is
audited the same way as a local one::

    rows = run_zizmor(target, ".github/workflows")
    rows[0]   # {'audit': 'unpinned-uses', 'severity': 'high', 'confidence': 'high',
              #  'file': '.github/workflows/ci.yml', 'line': 12, ...}

Only the YAML files under the path are mirrored: a repository's
``zizmor.yml`` is not read (inline ``# zizmor: ignore[...]`` comments are).
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
import subprocess
import tempfile
from pathlib import Path

from inspecpy.errors import ResourceFailed, ResourceSkipped
from inspecpy.cicd.repo_files import yaml_files

TIMEOUT_SECONDS = 600
_INSTALL = "zizmor is not installed (pip install 'inspecpy[zizmor]')"


def zizmor_binary() -> str:
    """The ``zizmor`` executable of the installed ``zizmor`` package; ResourceSkipped when absent."""
    from importlib import metadata

    try:
        dist = metadata.distribution("zizmor")
    except metadata.PackageNotFoundError:
        raise ResourceSkipped(_INSTALL) from None
    for entry in dist.files or []:
        if Path(str(entry)).name in ("zizmor", "zizmor.exe"):
            located = Path(entry.locate()).resolve()
            if located.is_file() and os.access(located, os.X_OK):
                return str(located)
    found = shutil.which("zizmor")
    if found:
        return found
    raise ResourceSkipped(_INSTALL + ": the package has no zizmor executable")


def _mirror(target, files: list[str], into: str) -> dict[str, str]:
    """Copy *files* (one folder's, so their names differ) from the target into *into*; mirror → target path."""
    mapping = {}
    for file in files:
        local = os.path.join(into, posixpath.basename(file))
        with open(local, "wb") as out:
            out.write(target.read(file))
        mapping[local] = file
    return mapping


def audited_files(target, path: str) -> list[str]:
    """The files zizmor audits for *path*: the file itself, a folder's top-level YAML files, or a
    checkout's ``.github/workflows``."""
    nested = posixpath.join(path, ".github", "workflows")
    if target.stat(nested).exists:
        path = nested
    return yaml_files(target, path)


def _first_line(finding: dict) -> tuple[str | None, int | None, str]:
    locations = finding.get("locations") or []
    primary = next((l for l in locations if l.get("symbolic", {}).get("kind") == "Primary"), locations[0] if locations else {})
    symbolic = primary.get("symbolic", {})
    key = symbolic.get("key", {})
    path = (key.get("Local") or {}).get("verbatim_path") or (key.get("Local") or {}).get("given_path")
    point = primary.get("concrete", {}).get("location", {}).get("start_point", {})
    row = point.get("row")
    return path, (row + 1 if isinstance(row, int) else None), symbolic.get("annotation") or ""


def parse_findings(output: str, mapping: dict[str, str]) -> list[dict]:
    """zizmor's JSON (v1) as rows; mirrored paths mapped back to the target's."""
    rows = []
    for finding in json.loads(output or "[]"):
        path, line, annotation = _first_line(finding)
        determinations = finding.get("determinations", {})
        rows.append({
            "audit": finding.get("ident"), "desc": finding.get("desc"), "url": finding.get("url"),
            "severity": str(determinations.get("severity", "")).lower(),
            "confidence": str(determinations.get("confidence", "")).lower(),
            "persona": str(determinations.get("persona", "")).lower(),
            "file": None if path is None else mapping.get(path, path), "line": line, "annotation": annotation,
            "ignored": bool(finding.get("ignored")),
        })
    return [row for row in rows if not row["ignored"]]


def run_zizmor(target, path: str, persona: str = "regular") -> list[dict]:
    """zizmor's findings for the workflow (or action) files at *path* on *target*."""
    binary = zizmor_binary()
    files = audited_files(target, path)
    if not files:
        raise ResourceFailed(f"no workflow file to audit in {path}")
    with tempfile.TemporaryDirectory(prefix="inspecpy-zizmor-") as tmp:
        mapping = _mirror(target, files, tmp)
        command = [binary, "--offline", "--format", "json", "--no-exit-codes", "--no-progress",
                   "--color", "never", "--strict-collection", "--persona", persona, *mapping]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
                                  env={**os.environ, "NO_COLOR": "1"}, cwd=tmp)
        except subprocess.TimeoutExpired:
            raise ResourceFailed(f"zizmor did not finish auditing {path} in {TIMEOUT_SECONDS} s") from None
        if done.returncode != 0:
            raise ResourceFailed(f"zizmor could not audit {path}: {_reason(done.stderr, mapping)}")
        return parse_findings(done.stdout, mapping)


def _reason(stderr: str, mapping: dict[str, str]) -> str:
    """zizmor's own words for a failure (its first warning or error line), with our paths."""
    lines = [l.strip() for l in stderr.split("Stack backtrace")[0].splitlines() if l.strip()]
    useful = [l for l in lines if " INFO " not in f" {l} " and not l.startswith("INFO")]
    text = next((l for l in useful if "failed to" in l), useful[0] if useful else "no reason given")
    for local, original in mapping.items():
        text = text.replace(f"file://{local}", original).replace(local, original)
    return text[:300]
