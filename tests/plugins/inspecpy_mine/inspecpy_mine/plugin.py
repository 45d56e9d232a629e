"""The ``mine`` reporter: one line per control, ``STATUS id (n tests)``.

Registered through the entry point ``inspecpy = mine = inspecpy_mine.plugin``::

    inspecpy exec my-profile --reporter mine:out.txt

    PASSED check_os_version (1 tests)
    FAILED check_secure_password_policy (7 tests)
"""

from inspecpy.hookspecs import hookimpl
from inspecpy.reporter import Reporter


class MineReporter(Reporter):
    """One line per control."""

    name = "mine"
    description = "one line per control (third-party example)"

    def render(self, runs):
        lines = [f"{c.status.upper()} {c.id} ({len(c.results)} tests)" for run in runs for c in run.controls]
        return ("\n".join(lines) + "\n").encode("utf-8")


@hookimpl
def inspecpy_reporters():
    return [MineReporter]
