"""The path to production as data: GitHub Actions workflows and Kubernetes manifests.

Pure parsing, no target: each module turns text (a workflow file, a
manifest) into plain rows that the resources ``github_workflow(s)``,
``k8s_manifests`` and ``zizmor`` serve as filter tables::

    from inspecpy.cicd.workflow import parse_workflow
    wf = parse_workflow(text, "ci.yml")
    [s["ref_kind"] for s in wf.steps]      # ['sha', 'tag']

Modules: ``yaml_source`` (YAML 1.2 loading with line numbers),
``uses`` (``owner/repo/path@ref``), ``expressions`` (``${{ }}`` and
attacker-controllable contexts), ``scripts`` (secrets in ``run:``),
``permissions``, ``ml_steps`` (model publish/scan/sign), ``workflow``
(one workflow file), ``k8s_objects`` and ``pod_specs`` (manifests),
``k8s_schema`` (kubernetes-validate), ``zizmor_cli``, ``repo_files``.
"""
