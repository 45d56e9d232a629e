"""dev-sec's linux-baseline and ssh-baseline, unmodified Ruby, run by ``inspecpy exec`` on this machine.

The profiles are read from ``../shared/ruby-profiles`` beside the project
(not copied into it); the tests skip, saying so, where that folder is
absent. Each control's verdict is compared with what Chef InSpec 5.24.24
gives on this machine kind (``ruby/reference_verdicts.yml``; how each entry
was decided is in ``ruby/reference_verdicts.md``): every control must load
and at least 95% must agree. The imported Python profile must agree with
the Ruby one control by control.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_cli


HERE = Path(__file__).resolve().parent
REFERENCE = yaml.safe_load((HERE / "ruby" / "reference_verdicts.yml").read_text())
CANDIDATES = [ROOT.parent / "shared" / "ruby-profiles", Path("/work/shared/ruby-profiles")]
SHARED = next((p for p in CANDIDATES if (p / "linux-baseline" / "inspec.yml").is_file()), None)
needs_shared = pytest.mark.skipif(SHARED is None, reason="../shared/ruby-profiles (dev-sec baselines) is not "
                                                          "present beside the project")
PROFILES = ["linux-baseline", "ssh-baseline"]


def verdicts(report: dict) -> dict[str, str]:
    out = {}
    for profile in report["profiles"]:
        for control in profile["controls"]:
            statuses = {r["status"] for r in control["results"]}
            out[control["id"]] = "failed" if "failed" in statuses else "passed" if "passed" in statuses else "skipped"
    return out


def exec_json(path: Path, out: Path) -> tuple[int, dict]:
    result = run_cli("exec", path, "--reporter", f"json:{out}", "--no-color", timeout=600)
    assert result.code in (0, 100, 101), result.err
    assert "Traceback" not in result.err
    return result.code, json.loads(out.read_text())


@needs_shared
@pytest.mark.parametrize("name", PROFILES)
def test_every_control_loads_and_check_lists_nothing_unsupported(name):
    result = run_cli("check", SHARED / name, "--format", "json")
    report = json.loads(result.out)
    assert report["errors"] == [] and report["summary"]["controls"] == len(REFERENCE[name])
    assert result.code == 0


@needs_shared
@pytest.mark.parametrize("name", PROFILES)
def test_verdicts_agree_with_inspec(name, tmp_path):
    _, report = exec_json(SHARED / name, tmp_path / "report.json")
    got = verdicts(report)
    assert sorted(got) == sorted(REFERENCE[name]), "every control loads"
    errors = [r for p in report["profiles"] for c in p["controls"] for r in c["results"] if r.get("exception")]
    assert errors == []
    agree = [cid for cid, verdict in REFERENCE[name].items() if got[cid] == verdict]
    disagree = {cid: (REFERENCE[name][cid], got[cid]) for cid in REFERENCE[name] if cid not in agree}
    assert len(agree) / len(REFERENCE[name]) >= 0.95, disagree


@needs_shared
@pytest.mark.parametrize("name", PROFILES)
def test_imported_profile_gives_the_same_verdicts(name, tmp_path):
    result = run_cli("import", SHARED / name, tmp_path / "py")
    assert result.code == 0, result.err
    assert not list((tmp_path / "py").rglob("*.rb"))
    _, ruby = exec_json(SHARED / name, tmp_path / "ruby.json")
    _, python = exec_json(tmp_path / "py", tmp_path / "python.json")
    assert verdicts(python) == verdicts(ruby)


@pytest.mark.integration
def test_a_ruby_profile_gives_the_same_verdicts_over_ssh(sshd, tmp_path):
    """Top-level code that probes (virtualization, os) runs per target, not once on this machine."""
    from tests.conftest import write_profile

    path = write_profile(tmp_path, controls={"target.rb": """
        container = begin
          virtualization.role == 'guest'
        rescue NoMethodError
          false
        end
        release = os.release
        only_if('needs a shell') { command('sh').exist? }
        control 'per-target' do
          describe release do
            it { should eq os.release }
          end
          describe file('/etc/passwd') do
            it { should exist }
            its('mode') { should cmp '0644' }
          end
          describe container do
            it { should eq virtualization.role == 'guest' }
          end
        end
    """})
    _, local = exec_json(path, tmp_path / "local.json")
    result = run_cli("exec", path, "--reporter", f"json:{tmp_path / 'ssh.json'}", "--no-color",
                     *sshd.args("--sudo"), timeout=600)
    assert result.code in (0, 100, 101), result.err
    remote = json.loads((tmp_path / "ssh.json").read_text())
    assert verdicts(remote) == verdicts(local) == {"per-target": "passed"}
    assert remote["platform"]["name"] == local["platform"]["name"]
