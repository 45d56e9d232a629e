"""The ``github_workflows`` resource: every workflow file of a folder, a table of their steps."""

from __future__ import annotations

from functools import cached_property

from inspecpy.cicd.tables import JobTable, StepColumns
from inspecpy.errors import ResourceFailed
from inspecpy.resources.filtering import FilterTable


class GithubWorkflows(StepColumns, FilterTable):
    """All workflow files of a folder (``.github/workflows`` by default), a row per step.

    Python::

        steps = github_workflows()
        describe(steps.where(ref_kind="branch")).its("uses").should.be_empty()
        describe(steps.where(lambda s: s.injections)).its("files").should.be_empty()
        describe(steps.jobs.where(self_hosted=True)).its("jobs").should.be_empty()

    YAML::

        - github_workflows: .github/workflows
          its: {injections: {should: be_empty}}

    Rows are :class:`github_workflow`'s (each with its ``file``); ``files``
    lists the YAML files at the folder's top level (as GitHub reads them)
    without parsing them, so a profile can judge each file on its own. A
    file that is not a workflow makes the whole table fail, naming it.
    """

    name = "github_workflows"
    display_name = "GitHub Workflows"

    def __init__(self, path: str = ".github/workflows", root: str | None = None):
        super().__init__()
        self.path = str(path)
        self.root = root

    @property
    def resource_id(self) -> str:
        return self.path

    @property
    def workflow_files(self) -> list[str]:
        """The workflow files (``*.yml``/``*.yaml``) at the top of the folder, or the path itself."""
        from inspecpy.cicd.repo_files import yaml_files

        return yaml_files(self.target, self.path)

    @cached_property
    def _workflows(self) -> list:
        from inspecpy.cicd.workflow_files import read_workflow

        parsed, problems = [], []
        for file in self.workflow_files:
            try:
                parsed.append(read_workflow(self.target, file, self.root))
            except ResourceFailed as failed:
                problems.append(str(failed))
        if problems:
            raise ResourceFailed("; ".join(problems))
        return parsed

    def load_rows(self) -> list[dict]:
        return [step for wf in self._workflows for step in wf.steps]

    @property
    def jobs(self) -> JobTable:
        """Every job of every file, as a filter table (see ``github_workflow(f).jobs``)."""
        return JobTable(f"{self} jobs", lambda: [job for wf in self._workflows for job in wf.jobs])

    @property
    def permission_problems(self) -> list[str]:
        """``file: job …`` for every job whose token is not least-privilege."""
        return [f"{wf.file}: {p}" for wf in self._workflows for p in wf.permission_problems]

    @property
    def dangerous_triggers(self) -> list[str]:
        """``file: trigger`` for every ``pull_request_target``/``workflow_run`` trigger."""
        return [f"{wf.file}: {t}" for wf in self._workflows for t in wf.dangerous_triggers]
