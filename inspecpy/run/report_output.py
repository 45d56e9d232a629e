"""``--reporter NAME[:PATH]``: choosing reporters and writing their output safely.

Every value is checked before anything runs: an unknown name (the error
lists the available ones and the closest match), two reporters on stdout,
two reporters on one file, a URL given to a reporter that cannot push
(``prometheus:http://pushgateway:9091`` pushes). Each file is written atomically (a temporary file
in the same folder, then a rename), so an interrupted run never leaves half
a report, and its folder is created if missing (as InSpec does); ``{target}`` in a path gives one file per target; a reporter that
fails does not stop the others, and :func:`write_reports` returns False so
the exit code says so::

    specs = parse_reporters(["cli", "json:out.json"], ReporterOptions())
    ok = write_reports(specs, runs)

A reporter class with ``terminal_only = True`` (``progress``) draws on the
terminal while controls run and writes no report: it takes no PATH, does
not count as the stdout reporter, and is finished first so its line is gone
before the other reports print.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from typing import Sequence

from inspecpy.errors import UsageError
from inspecpy.names import target_slug
from inspecpy.plugins import registry
from inspecpy.reporter import Reporter, ReporterOptions
from inspecpy.results import RunResult


@dataclass
class ReporterSpec:
    """One ``--reporter`` value: the reporter and where its bytes go (None: stdout)."""

    name: str
    path: str | None
    reporter: Reporter

    @property
    def terminal_only(self) -> bool:
        return bool(getattr(self.reporter, "terminal_only", False))


_URL = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")


def url_scheme(path: str | None) -> str | None:
    """``http`` for ``http://host:9091``; None for a file path."""
    found = _URL.match(path or "")
    return found.group(1).lower() if found else None


def _is_device(path: str) -> bool:
    return os.path.exists(path) and not os.path.isfile(path) and not os.path.isdir(path)


def parse_reporters(values: Sequence[str], options: ReporterOptions) -> list[ReporterSpec]:
    """Check every ``NAME[:PATH]`` before anything runs."""
    specs: list[ReporterSpec] = []
    if len(values) == 1:
        options = dataclasses.replace(options, only_reporter=True)
    for value in values:
        name, sep, written = value.partition(":")
        cls = registry().reporter(name)
        path = written if sep and written not in ("", "-") else None
        spec = ReporterSpec(name=name, path=path, reporter=cls(options))
        if spec.terminal_only and path is not None:
            raise UsageError(f"reporter {name!r} draws on the terminal and writes no file: drop ':{path}'")
        scheme = url_scheme(path)
        if scheme is not None:
            if scheme not in spec.reporter.push_schemes:
                raise UsageError(f"reporter {name!r} writes files, it cannot send to {scheme}:// URLs")
            spec.reporter.check_push(str(path))
        specs.append(spec)
    to_stdout = [s.name for s in specs if s.path is None and not s.terminal_only]
    if len(to_stdout) > 1:
        raise UsageError(f"only one reporter can write to stdout, got: {', '.join(to_stdout)} (give the others a :PATH)")
    seen: dict[str, str] = {}
    for spec in specs:
        if spec.path is None or _is_device(spec.path) or url_scheme(spec.path):
            continue  # any number may share /dev/null (or push to one URL)
        key = os.path.abspath(spec.path)
        if key in seen:
            raise UsageError(f"reporters {seen[key]} and {spec.name} would both write {spec.path}")
        seen[key] = spec.name
    return specs


def write_atomically(path: str, data: bytes) -> None:
    """Write *data* to *path* through a temporary file and a rename, creating its folder if needed."""
    if os.path.exists(path) and not os.path.isfile(path):  # /dev/null, a FIFO: never replace it
        with open(path, "wb") as stream:
            stream.write(data)
        return
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.exists(folder):  # as InSpec does; a file in the way fails below with "Not a directory"
        os.makedirs(folder, exist_ok=True)
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


def write_reports(specs: Sequence[ReporterSpec], runs: Sequence[RunResult]) -> bool:
    """Render and write every report; False when any reporter failed (each said why on stderr)."""
    ok = True
    for spec in sorted(specs, key=lambda s: not s.terminal_only):  # erase the progress line first
        if url_scheme(spec.path):
            ok = _push(spec, runs) and ok
            continue
        jobs = (
            [(spec.path.replace("{target}", target_slug(run.target)), [run]) for run in runs]
            if spec.path and "{target}" in spec.path
            else [(spec.path, list(runs))]
        )
        for path, batch in jobs:
            try:
                data = spec.reporter.render(batch)
                if path is None:
                    if data:
                        sys.stdout.buffer.write(data)
                        sys.stdout.flush()
                else:
                    write_atomically(path, data)
            except BrokenPipeError:  # `| head`: the reader left; the files still get written
                ok = False
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except OSError as error:
                ok = False
                where = path if path is not None else "stdout"
                print(f"inspecpy: error: reporter {spec.name}: cannot write {where}: {error.strerror or error}",
                      file=sys.stderr)
            except Exception as error:  # one broken reporter must not cost the others
                ok = False
                print(f"inspecpy: error: reporter {spec.name} failed: {type(error).__name__}: {error}",
                      file=sys.stderr)
    return ok


def _push(spec: ReporterSpec, runs: Sequence[RunResult]) -> bool:
    """Send a pushing reporter's report; False (with one line on stderr) when it could not."""
    from inspecpy.targets import redact_uri

    try:
        spec.reporter.push(spec.path or "", runs)
        return True
    except Exception as error:  # a Pushgateway down must not cost the other reports
        print(f"inspecpy: error: reporter {spec.name}: cannot push to {redact_uri(spec.path or '')}: {error}",
              file=sys.stderr)
        return False
