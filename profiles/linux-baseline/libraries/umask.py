"""``login_umask``: the default umask login.defs gives new sessions, compared bit by bit."""

from __future__ import annotations

from inspecpy import Verdict
from inspecpy.resources.base import Resource, probe
from inspecpy.resources.builtin.login_defs import LoginDefs


class LoginUmask(Resource):
    """``UMASK`` from ``/etc/login.defs``.

    Python: ``describe(login_umask()).should.be_at_least_as_strict_as("027")``
    YAML:   ``- login_umask: null`` with ``should: [{be_at_least_as_strict_as: "027"}]``
    """

    name = "login_umask"
    display_name = "login.defs UMASK"

    @probe
    def value(self) -> str | None:
        return LoginDefs().value("UMASK")

    def at_least_as_strict_as(self, wanted: str) -> Verdict:
        """Every bit of *wanted* is masked (``077`` is stricter than ``027``; ``022`` is not)."""
        if self.value is None:
            return Verdict(False, "UMASK is not set in /etc/login.defs")
        try:
            have, need = int(self.value, 8), int(str(wanted), 8)
        except ValueError:
            return Verdict(False, f"UMASK {self.value!r} is not an octal number")
        missing = need & ~have
        return Verdict(not missing, f"UMASK is {self.value}" + (f"; bits {missing:03o} are not masked" if missing else ""))
