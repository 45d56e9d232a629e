"""What the shell shows of a resource: the names it declares (:mod:`inspecpy.members`) and their values.

Used to show a bare resource, to write ``help(file)`` and to complete
``file("/x").<Tab>``; nothing here probes the target except :func:`values`::

    attribute_names(File)     # ['basename', 'content', 'exists', 'gid', ...]
    method_names(Model)       # ['evaluate', 'robustness', ...]
"""

from __future__ import annotations

from typing import Any

from inspecpy.members import attribute_names, method_names

__all__ = ["attribute_names", "method_names", "values"]


def values(resource: Any) -> dict[str, Any]:
    """Every declared attribute's value, errors shown as text (probes the target; for display only)."""
    shown: dict[str, Any] = {}
    for name in attribute_names(type(resource)):
        try:
            shown[name] = getattr(resource, name)
        except Exception as error:  # shown to a person, never judged
            shown[name] = f"<error: {error}>"
    return shown
