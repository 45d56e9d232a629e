"""Secrets in ``run:`` scripts: written to files, printed to the log, traced by ``set -x``.

A step's secrets are the ones its script expands directly
(``${{ secrets.X }}``, ``${{ github.token }}``) and the environment
variables (step, job or workflow ``env:``) whose value reads one. A line
that uses one and redirects (``>``, ``>>``, ``tee``, a heredoc into a file)
writes it to a file; one that ``echo``/``printf``s it without a redirect
or pipe prints it; ``set -x`` (or ``bash -x``) in a step that has secrets
traces them. GitHub masks a secret's exact value in the log, not a
transformed one (base64, JSON, a file's content shown later), so printing
is flagged too. ``::add-mask::`` lines are the cure and are never flagged.

>>> leaks = secret_leaks('echo "$API_KEY" > api_key.txt', {"API_KEY"})
>>> [(l["kind"], l["secret"], l["target"]) for l in leaks]
[('file', 'API_KEY', 'api_key.txt')]

This is a line scanner, not a shell parser (no shell parser for Python
reads bash reliably); it errs towards flagging, and says which line.
"""

from __future__ import annotations

import re

from inspecpy.cicd.expressions import find_expressions

_REDIRECT = re.compile(r"(?:^|[^0-9<>&])(?:&)?(>>?)\s*([^\s;|&<>]+)")
_TEE = re.compile(r"\btee\s+(?:-a\s+|--append\s+)?([^\s;|&<>-][^\s;|&<>]*)")
_HEREDOC = re.compile(r"<<-?\s*['\"]?(\w+)['\"]?")
_PRINT = re.compile(r"(?:^|[;&|]\s*|\s)(echo|printf)\b")
_XTRACE = re.compile(r"(?m)^\s*set\s+(?:-[a-wyzA-Z]*x[a-zA-Z]*\b|-o\s+xtrace\b)|\bbash\s+-[a-zA-Z]*x")
_HARMLESS = {"/dev/null", "/dev/stderr", "/dev/stdout", "&1", "&2"}


def _var_pattern(names: set[str]) -> re.Pattern | None:
    if not names:
        return None
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(rf"\$(?:\{{)?({alternatives})\b")


def secret_env_names(*envs: dict | None) -> set[str]:
    """Names of ``env:`` variables whose value reads a secret (or the token)."""
    names: set[str] = set()
    for env in envs:
        if not isinstance(env, dict):
            continue
        for name, value in env.items():
            if isinstance(value, str) and step_secrets(value):
                names.add(str(name))
    return names


def step_secrets(text: str | None) -> list[str]:
    """Secrets an expression text reads: ``secrets.X`` names and ``GITHUB_TOKEN`` for ``github.token``."""
    found: list[str] = []
    for expression in find_expressions(text):
        for context in expression["contexts"]:
            name = (context[8:] or "*" if context.startswith("secrets.") else "*" if context == "secrets"
                    else "GITHUB_TOKEN" if context == "github.token" else None)
            if name and name not in found:
                found.append(name)
    return found


def _logical_lines(script: str) -> list[tuple[int, str]]:
    """Lines with ``\\`` continuations joined, each with its first line number."""
    lines, start, buffer = [], 1, ""
    for number, line in enumerate(script.splitlines(), 1):
        if not buffer:
            start = number
        if line.rstrip().endswith("\\"):
            buffer += line.rstrip()[:-1] + " "
            continue
        lines.append((start, buffer + line))
        buffer = ""
    if buffer:
        lines.append((start, buffer))
    return lines


def _secrets_in(line: str, env_pattern: re.Pattern | None) -> list[str]:
    found = step_secrets(line)
    if env_pattern:
        found += [m.group(1) for m in env_pattern.finditer(line) if m.group(1) not in found]
    return found


def _file_targets(line: str) -> list[str]:
    targets = [m.group(2) for m in _REDIRECT.finditer(line) if m.group(2) not in _HARMLESS]
    targets += [m.group(1) for m in _TEE.finditer(line)]
    return targets


def secret_leaks(script: str | None, secret_vars: set[str]) -> list[dict]:
    """``kind`` (file/log/xtrace), ``secret``, ``line`` and ``target`` (the file) of each exposure."""
    if not script:
        return []
    pattern = _var_pattern(secret_vars)
    leaks: list[dict] = []
    heredoc: tuple[str, list[str]] | None = None  # (delimiter, files it writes)
    for number, line in _logical_lines(script):
        if heredoc:
            if line.strip() == heredoc[0]:
                heredoc = None
                continue
            into: list[str | None] = [*heredoc[1]] or [None]  # no file: it goes to the log
            for secret in _secrets_in(line, pattern):
                leaks += [{"kind": "file" if heredoc[1] else "log", "secret": secret, "line": number,
                           "target": target} for target in into]
            continue
        opened = _HEREDOC.search(line)
        if opened and ("cat" in line or "tee" in line):
            heredoc = (opened.group(1), _file_targets(line))
        if "::add-mask::" in line:
            continue
        secrets = _secrets_in(line, pattern)
        if not secrets:
            continue
        targets = _file_targets(line)
        for secret in secrets:
            if targets:
                leaks += [{"kind": "file", "secret": secret, "line": number, "target": t} for t in targets]
            elif _PRINT.search(line) and "|" not in line:
                leaks.append({"kind": "log", "secret": secret, "line": number, "target": None})
    return leaks


def traces_secrets(script: str | None, shell: str | None, has_secrets: bool) -> bool:
    """True when ``set -x``/``bash -x`` runs in a step that has secrets."""
    if not has_secrets:
        return False
    return bool(_XTRACE.search(script or "")) or bool(shell and re.search(r"\s-[a-zA-Z]*x", f" {shell}"))
