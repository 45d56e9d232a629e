"""The ``zizmor`` resource: zizmor's findings for a repository's workflows, as a table."""

from __future__ import annotations

from inspecpy.resources.filtering import Column, FilterTable


class Zizmor(FilterTable):
    """zizmor's audit findings (run offline) for the workflow files at *path*: a row per finding.

    Python::

        describe(zizmor(".github/workflows").where(severity="high")).its("audits").should.be_empty()

    YAML::

        - zizmor: .github/workflows
          its: {severities: {should_not: {include: high}}}

    Row fields: ``audit`` (zizmor's id, e.g. ``unpinned-uses``), ``desc``,
    ``severity`` and ``confidence`` (informational/low/medium/high),
    ``persona``, ``file``, ``line``, ``annotation``, ``url``. *path* is a
    workflow file, a folder of them, or a checkout (its
    ``.github/workflows``); files are read through the target and audited
    here with the ``zizmor`` of the installed package (the optional extra
    ``inspecpy[zizmor]``). Without it every check is skipped, saying so.
    ``persona`` is zizmor's: ``regular`` (default), ``pedantic`` or ``auditor``.
    """

    name = "zizmor"
    display_name = "zizmor"

    def __init__(self, path: str = ".github/workflows", persona: str = "regular"):
        super().__init__()
        self.path = str(path)
        self.persona = persona

    @property
    def resource_id(self) -> str:
        return self.path

    def load_rows(self) -> list[dict]:
        from inspecpy.cicd.zizmor_cli import run_zizmor

        return run_zizmor(self.target, self.path, self.persona)

    audits = Column("audit", "zizmor audit ids of the selected findings.")
    severities = Column("severity", "Severities (informational, low, medium, high).")
    confidences = Column("confidence", "Confidences (low, medium, high).")
    files = Column("file", "Files with findings.", simple=True)
    lines = Column("line", "Lines of the findings.")
