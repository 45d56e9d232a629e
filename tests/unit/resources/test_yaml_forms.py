"""The YAML forms shown in the resources' docstrings load and run (no exception, real verdicts)."""

from __future__ import annotations


from inspecpy.profile.loader import load_profile
from inspecpy.run.runner import Selection, run_target
from inspecpy.targets.local import LocalTarget

CONTROLS = """\
- id: yaml-forms
  describe:
    - port: 2
      should_not: [be_listening]
    - processes: no-such-daemon-xyz
      should_not: [exist]
    - mount: /
      should: [be_mounted]
    - etc_hosts: null
      its: {primary_name: {include: localhost}}
    - users: null
      its: {uids: {should_not: contain_duplicates}}
    - sysctl: kernel.randomize_va_space
      its: {value: {be_in: [0, 1, 2]}}
    - kernel_module: cramfs
      should_not: [be_loaded]
    - parse_config: {content: "port = 80", separator: "="}
      its: {port: {cmp: 80}}
    - passwd: null
      its: {uids: {should_not: contain_duplicates}}
    - limits_conf: {path: LIMITS}
      its: {"*": {include: [hard, core, "0"]}}
    - sshd_config: SSHD
      its: {PermitRootLogin: {cmp: "no"}, MaxAuthTries: {be_at_most: 4}}
"""


def test_yaml_forms_run(tmp_path, make_profile):
    (tmp_path / "limits.conf").write_text("* hard core 0\n")
    (tmp_path / "sshd_config").write_text("PermitRootLogin no\nMaxAuthTries 3\n")
    text = CONTROLS.replace("LIMITS", str(tmp_path / "limits.conf")).replace("SSHD", str(tmp_path / "sshd_config"))
    profile = make_profile(controls={"forms.yml": text})
    run = run_target([load_profile(str(profile))], LocalTarget("local://"), Selection())
    results = run.profiles[0].controls[0].results
    assert [(r.code_desc, r.exception) for r in results if r.exception] == []
    assert len(results) == 12
    assert all(r.status == "passed" for r in results), [(r.code_desc, r.message) for r in results if r.status != "passed"]
