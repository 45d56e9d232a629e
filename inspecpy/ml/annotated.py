"""A number that says where it comes from when a failure message shows it (not a chart figure: see ``inspecpy.results.Figure``).

Matchers compare it as the float it is; ``str()`` (what a failure message
shows) adds a note, so ``expected 0.65 to be at least 0.7`` can read
``expected 0.6528 (clean accuracy 0.958, FGSM eps=0.1) to be at least 0.7``::

    >>> robust = Annotated(0.65277, "clean accuracy 0.958")
    >>> robust >= 0.7, str(robust), robust + 0
    (False, '0.6528 (clean accuracy 0.958)', 0.65277)
"""

from __future__ import annotations


class Annotated(float):
    """A float with a note shown after it (4 significant digits); arithmetic gives plain floats."""

    note: str

    def __new__(cls, value: float, note: str) -> "Annotated":
        number = super().__new__(cls, value)
        number.note = note
        return number

    def __str__(self) -> str:
        return f"{float(self):.4g} ({self.note})" if self.note else f"{float(self):.4g}"

    def __reduce__(self):
        return (Annotated, (float(self), self.note))
