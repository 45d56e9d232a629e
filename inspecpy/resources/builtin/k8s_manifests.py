"""The ``k8s_manifests`` resource: Kubernetes objects of manifest files, a table of objects."""

from __future__ import annotations

from functools import cached_property

from inspecpy.cicd.tables import ContainerTable
from inspecpy.errors import ResourceFailed
from inspecpy.resources.filtering import Column, FilterTable


class K8sManifests(FilterTable):
    """Kubernetes objects in a manifest file or a folder of them (searched recursively): a row per object.

    Python::

        m = k8s_manifests("deploy/serving.yaml")
        describe(m.containers.where(privileged=True)).its("labels").should.be_empty()
        describe(m.containers.where(pinned_by_digest=False)).its("images").should.be_empty()
        describe(m.where(kind="InferenceService", storage_immutable=False)).its("names").should.be_empty()

    YAML::

        - k8s_manifests: deploy
          its: {kinds: {should: {include: InferenceService}}}

    Object row fields: ``file``, ``document``, ``line``, ``kind``,
    ``api_version``, ``name``, ``namespace``, ``labels``, ``annotations``,
    ``workload`` (has a pod template), ``replicas``, and for an
    InferenceService ``model_format``, ``runtime``, ``storage_uri``,
    ``storage_scheme``, ``storage_immutable``, ``min_replicas``,
    ``max_replicas``; ``literal_secrets`` names the keys a ``Secret``
    object carries in the file. ``containers`` is a table of every container
    of every pod template (``image``, ``pinned_by_digest``,
    ``run_as_non_root``, ``privileged``, ``allow_privilege_escalation``,
    ``read_only_root_filesystem``, ``capabilities_added``/``_dropped``,
    ``requests``, ``limits``, ``host_path_volumes``, ``host_network``,
    ``host_pid``, ``host_ipc``, ``automount_service_account_token``,
    ``literal_secret_env``, ``secret_ref_env``…). ``schema_problems``
    validates objects with kubernetes-validate (optional extra
    ``inspecpy[k8s]``; skipped, saying so, without it). Secret values are
    never read into a row: only their names.
    """

    name = "k8s_manifests"
    display_name = "K8s Manifests"

    def __init__(self, path: str = "."):
        super().__init__()
        self.path = str(path)

    @property
    def resource_id(self) -> str:
        return self.path

    @cached_property
    def _parsed(self) -> dict[str, list[dict] | str]:
        """file → its objects, or the reason it cannot be read."""
        from inspecpy.cicd.k8s_objects import MAX_MANIFEST_BYTES, parse_manifests
        from inspecpy.cicd.repo_files import read_limited, yaml_files
        from inspecpy.cicd.yaml_source import YamlProblem

        parsed: dict[str, list[dict] | str] = {}
        for file in yaml_files(self.target, self.path, recursive=True):
            try:
                parsed[file] = parse_manifests(read_limited(self.target, file, MAX_MANIFEST_BYTES), file)
            except (YamlProblem, ResourceFailed) as problem:
                parsed[file] = str(problem)
        return parsed

    @property
    def files(self) -> list[str]:
        """Manifest files: those holding an object, and those that cannot be read (they need a verdict)."""
        return [f for f, objects in self._parsed.items() if objects]

    @cached_property
    def _objects(self) -> list[dict]:
        from inspecpy.cicd.kserve import inference_service_facts
        from inspecpy.cicd.pod_specs import is_workload

        problems = [p for p in self._parsed.values() if isinstance(p, str)]
        if problems:
            raise ResourceFailed("; ".join(problems))
        objects = [o for found in self._parsed.values() if not isinstance(found, str) for o in found]
        if not objects:
            raise ResourceFailed(f"no Kubernetes object in {self.path} (a document needs apiVersion and kind)")
        rows = []
        for obj in objects:
            raw = obj["raw"]
            spec = raw.get("spec") if isinstance(raw.get("spec"), dict) else {}
            secret_keys = []
            if raw.get("kind") == "Secret":
                for key in ("data", "stringData"):
                    if isinstance(raw.get(key), dict):
                        secret_keys += [str(k) for k in raw[key]]
            rows.append({**obj, "workload": is_workload(raw), "replicas": spec.get("replicas"),
                         "literal_secrets": secret_keys, **inference_service_facts(raw)})
        return rows

    def load_rows(self) -> list[dict]:
        return self._objects

    @property
    def containers(self) -> ContainerTable:
        """Every container of the selected objects' pod templates, as a filter table."""
        from inspecpy.cicd.pod_specs import containers_of

        def rows() -> list[dict]:
            return [{**c, "file": obj["file"]} for obj in self.entries for c in containers_of(obj["raw"])]

        return ContainerTable(f"{self} containers", rows)

    @property
    def schema_problems(self) -> list[str]:
        """``file: Kind/name: why`` for each selected object that does not match the Kubernetes schema."""
        from inspecpy.cicd.k8s_schema import schema_problem

        found = []
        for obj in self.entries:
            try:
                problem = schema_problem(obj["raw"])
            except LookupError:
                continue
            if problem:
                found.append(f"{obj['file']}: {obj['kind']}/{obj['name']}: {problem}")
        return found

    @property
    def unvalidated_kinds(self) -> list[str]:
        """``apiVersion Kind`` of selected objects with no schema to validate against (custom resources)."""
        from inspecpy.cicd.k8s_schema import schema_problem

        kinds = []
        for obj in self.entries:
            try:
                schema_problem(obj["raw"])
            except LookupError as missing:
                if str(missing) not in kinds:
                    kinds.append(str(missing))
        return kinds

    kinds = Column("kind", "Object kinds.", simple=True)
    names = Column("name", "Object names.")
    namespaces = Column("namespace", "Namespaces (None when not set).")
    storage_uris = Column("storage_uri", "InferenceService model locations.")
