"""``--reporter NAME[:PATH]``: choosing reporters and writing their output safely.

Each file is written atomically (a temporary file in the same folder, then a
rename), so an interrupted run never leaves half a report; a reporter that
fails does not stop the others::

    specs = parse_reporters(["cli", "json:out.json"], registry().reporters)
    ok = write_reports(specs, runs)
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from typing import Sequence

from .errors import UsageError
from .reporter import Reporter, ReporterOptions
from .results import RunResult


@dataclass
class ReporterSpec:
    """One ``--reporter`` value: the reporter and where its bytes go (None: stdout)."""

    name: str
    path: str | None
    reporter: Reporter


def parse_reporters(values: Sequence[str], available: dict[str, type], options: ReporterOptions) -> list[ReporterSpec]:
    """Check every ``NAME[:PATH]`` before anything runs."""
    specs: list[ReporterSpec] = []
    for value in values:
        name, sep, path = value.partition(":")
        if name not in available:
            raise UsageError(f"unknown reporter {name!r} (available: {', '.join(sorted(available))})")
        path = path if sep and path not in ("", "-") else None
        specs.append(ReporterSpec(name=name, path=path, reporter=available[name](options)))
    to_stdout = [s.name for s in specs if s.path is None]
    if len(to_stdout) > 1:
        raise UsageError(f"only one reporter can write to stdout, got: {', '.join(to_stdout)} (give the others a :PATH)")
    return specs


def write_atomically(path: str, data: bytes) -> None:
    """Write *data* to *path* through a temporary file and a rename."""
    if os.path.exists(path) and not os.path.isfile(path):  # /dev/null, a FIFO: never replace it
        with open(path, "wb") as stream:
            stream.write(data)
        return
    folder = os.path.dirname(os.path.abspath(path))
    handle, temp = tempfile.mkstemp(prefix=".inspecpy-", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def target_slug(target: str) -> str:
    """*target* as a file-name fragment: ``ssh://me@web1:22`` → ``me_web1_22``."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in target.split("://", 1)[-1])
    return safe.strip("_") or "local"


def write_reports(specs: Sequence[ReporterSpec], runs: Sequence[RunResult]) -> bool:
    """Render and write every report; False when any reporter failed (each said why on stderr)."""
    ok = True
    for spec in specs:
        jobs = (
            [(spec.path.replace("{target}", target_slug(run.target)), [run]) for run in runs]
            if spec.path and "{target}" in spec.path
            else [(spec.path, list(runs))]
        )
        for path, batch in jobs:
            try:
                data = spec.reporter.render(batch)
                if path is None:
                    sys.stdout.buffer.write(data)
                    sys.stdout.flush()
                else:
                    write_atomically(path, data)
            except OSError as error:
                ok = False
                print(f"inspecpy: reporter {spec.name}: cannot write {path}: {error.strerror}", file=sys.stderr)
            except Exception as error:  # one broken reporter must not cost the others
                ok = False
                print(f"inspecpy: reporter {spec.name} failed: {type(error).__name__}: {error}", file=sys.stderr)
    return ok
