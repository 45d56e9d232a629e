"""Helpers for the Ruby tests: evaluate a snippet, or write a Ruby profile and run it."""

from __future__ import annotations

import pytest


@pytest.fixture
def ruby():
    """``ruby("1 + 2")`` → 3: the value of the snippet's last statement."""
    from inspecpy.plugins import registry
    from inspecpy.ruby.host import Host
    from inspecpy.ruby.runtime import Frame, Scope
    from inspecpy.ruby.syntax import SourceFile, parse_source

    def evaluate(code: str, host: Host | None = None):
        host = host or Host(dict(registry().resources))
        tree = parse_source(code.encode(), "snippet.rb")
        frame = Frame(None, Scope(), SourceFile("snippet.rb", code, tree))
        return host.evaluator.run_body(tree, frame)

    return evaluate
