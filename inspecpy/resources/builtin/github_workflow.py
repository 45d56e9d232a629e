"""The ``github_workflow`` resource: one GitHub Actions workflow file, a table of its steps."""

from __future__ import annotations

from functools import cached_property

from inspecpy.cicd.tables import JobTable, StepColumns
from inspecpy.resources.filtering import FilterTable


class GithubWorkflow(StepColumns, FilterTable):
    """One workflow file: triggers, token permissions, jobs, and a row per step.

    Python::

        wf = github_workflow(".github/workflows/train.yml")
        describe(wf.where(pinned=False)).its("uses").should.be_empty()
        describe(wf).its("permission_problems").should.be_empty()
        describe(wf.where(lambda s: s.injections)).its("labels").should.be_empty()

    YAML::

        - github_workflow: .github/workflows/train.yml
          its: {permission_problems: {should: be_empty}, dangerous_triggers: {should: be_empty}}

    Step row fields: ``file``, ``job``, ``index``, ``id``, ``name``, ``label``,
    ``kind`` (run/uses/call), ``uses`` with ``owner``, ``repo``,
    ``action_path``, ``ref``, ``ref_kind``, ``pinned``, ``uses_kind``,
    ``via`` (the local composite action a step comes from), ``with``,
    ``env``, ``run``, ``shell``, ``if``, ``line``, ``expressions``,
    ``contexts``, ``injections`` (attacker-controllable contexts in a script),
    ``secrets``, ``secret_leaks``, ``traces_secrets``, ``checkout``,
    ``persist_credentials``, ``checks_out_untrusted``,
    ``privileged_untrusted_checkout``, ``publishes_model``, ``scans_model``,
    ``signs``, ``missing_before_publish``, ``pulled_credentials``,
    ``uncleaned_credentials``, and the job's ``runs_on``, ``self_hosted``,
    ``job_permissions``, ``triggers``, ``dangerous_triggers``.
    ``root`` is the checkout that ``uses: ./path`` resolves in (default: the
    folder holding ``.github/workflows``).
    """

    name = "github_workflow"
    display_name = "GitHub Workflow"

    def __init__(self, file: str, root: str | None = None):
        super().__init__()
        self.file = str(file)
        self.root = root

    @property
    def resource_id(self) -> str:
        return self.file

    @cached_property
    def _workflow(self):
        from inspecpy.cicd.workflow_files import read_workflow

        return read_workflow(self.target, self.file, self.root)

    def load_rows(self) -> list[dict]:
        return self._workflow.steps

    @property
    def workflow_name(self) -> str | None:
        """The workflow's ``name:``."""
        return self._workflow.name

    @property
    def triggers(self) -> list[str]:
        """Event names from ``on:`` (a string, a list or a mapping)."""
        return self._workflow.triggers

    @property
    def dangerous_triggers(self) -> list[str]:
        """``pull_request_target`` / ``workflow_run`` among the triggers."""
        return self._workflow.dangerous_triggers

    @property
    def permissions(self) -> object:
        """The workflow-level ``permissions:`` (a mapping, ``read-all``/``write-all``), ``default`` when absent."""
        value = self._workflow.permissions
        return "default" if value is None else value

    @property
    def permissions_declared(self) -> bool:
        """True when every job's token permissions are declared (in the job or the workflow)."""
        return all(job["permissions_source"] != "default" for job in self._workflow.jobs)

    @property
    def permission_problems(self) -> list[str]:
        """Why the token is not least-privilege, one line per job (empty when it is)."""
        return self._workflow.permission_problems

    @property
    def reusable(self) -> bool:
        """True when other workflows can call this one (``on: workflow_call``)."""
        return "workflow_call" in self._workflow.triggers

    @property
    def jobs(self) -> JobTable:
        """The jobs as a filter table (``job``, ``runs_on``, ``self_hosted``, ``permissions``,
        ``permissions_source``, ``permission_problems``, ``calls``, ``secrets_inherit``, ``needs``…)."""
        return JobTable(f"{self} jobs", lambda: self._workflow.jobs)
