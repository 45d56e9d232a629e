"""Filter tables shared by the pipeline resources: step columns, and sub-tables of jobs and containers.

A sub-table is reached from its resource and names it in ``code_desc``::

    describe(github_workflow("ci.yml").jobs.where(permissions_source="default")).its("jobs").should.be_empty()
    # GitHub Workflow ci.yml jobs with permissions_source == 'default' jobs is expected to be empty
"""

from __future__ import annotations

from typing import Callable

from inspecpy.resources.filtering import Column, FilterTable


class StepColumns:
    """The columns of a table of workflow steps (``github_workflow`` and ``github_workflows``)."""

    files = Column("file", "Workflow files of the selected steps.", simple=True)
    labels = Column("label", "``job/step`` names (steps without a name show their ``uses``).")
    uses = Column("uses", "The ``uses:`` references (None for ``run:`` steps).")
    owners = Column("owner", "Action owners.", simple=True)
    refs = Column("ref", "Refs after ``@``.")
    ref_kinds = Column("ref_kind", "sha, tag, branch, unknown, local or digest.")
    runs = Column("run", "The ``run:`` scripts.")
    injections = Column("injections", "Attacker-controllable contexts expanded into scripts.", simple=True)
    secrets = Column("secrets", "Secrets the steps read.", simple=True)
    secret_leaks = Column("secret_leaks", "Secrets written to files or printed, with the script line.", simple=True)
    uncleaned_credentials = Column("uncleaned_credentials", "Credentials left on the runner.", simple=True)
    missing_before_publish = Column("missing_before_publish", "What a model publish lacks before it.", simple=True)


class RowsTable(FilterTable):
    """A filter table over rows its owner computes; ``label`` is how it names itself."""

    def __init__(self, owner: str, rows: Callable[[], list[dict]]):
        super().__init__()
        self._owner = owner
        self._compute = rows

    def load_rows(self) -> list[dict]:
        return self._compute()

    def label(self) -> str:
        return self._owner


class JobTable(RowsTable):
    """The jobs of one or more workflow files."""

    jobs = Column("job", "Job ids.")
    files = Column("file", "Workflow files.", simple=True)
    runs_on = Column("runs_on", "Runner labels (flattened).", simple=True)
    permissions = Column("permissions", "Each job's resolved token permissions.")
    permissions_sources = Column("permissions_source", "job, workflow, caller or default.")
    permission_problems = Column("permission_problems", "Why a job's token is not least-privilege.", simple=True)
    calls = Column("calls", "Reusable workflows the jobs call.", simple=True)


class ContainerTable(RowsTable):
    """The containers of the pod templates of Kubernetes manifests."""

    images = Column("image", "Container images.")
    containers = Column("container", "Container names.")
    labels = Column("label", "``Kind/name [component] container`` of each container.")
    objects = Column("object", "``Kind/name`` of the workload holding each container.", simple=True)
    files = Column("file", "Manifest files.", simple=True)
