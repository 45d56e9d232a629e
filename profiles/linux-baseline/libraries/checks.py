"""Small check helpers shared by the linux-baseline controls."""

from __future__ import annotations

from inspecpy import describe
from inspecpy.resources import file


def protected_file(path: str, max_mode: str, groups=("root",), required: bool = True) -> None:
    """*path* is owned by root, grouped into one of *groups*, and no more permissive than *max_mode*.

    A backup file (``required=False``) that does not exist is recorded as absent, which passes.
    """
    f = file(path)
    if not required and not f.exists:
        describe(f).should_not.exist()
        return
    describe(f).should.exist()
    describe(f).should.be_owned_by("root")
    describe(f).its("group").should.be_in(list(groups))
    describe(f).should_not.be_more_permissive_than(max_mode)
