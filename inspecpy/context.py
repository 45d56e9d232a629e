"""Binding a context variable for the length of a block: the one way inspecpy keeps "current" state.

>>> from contextvars import ContextVar
>>> level = ContextVar("level", default=0)
>>> with bound(level, 3):
...     level.get()
3
>>> level.get()
0
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator, TypeVar

T = TypeVar("T")


@contextmanager
def bound(variable: ContextVar, value: T) -> Iterator[T]:
    """Set *variable* to *value* inside the block, and back to what it was after."""
    token = variable.set(value)
    try:
        yield value
    finally:
        variable.reset(token)
