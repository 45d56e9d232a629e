"""The InSpec DSL in Ruby, run into the engine's own controls and results (real files and commands)."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import run_cli, write_profile


def run_profile(path, *args):
    """Load and run *path* here; control id → (status, [(result status, code_desc, message)])."""
    from inspecpy.profile.loader import load_profile
    from inspecpy.run.runner import Selection, run_target
    from inspecpy.targets.local import LocalTarget

    profile = load_profile(str(path))
    run = run_target([profile], LocalTarget("local://"), Selection(controls=list(args)))
    out = {}
    for result_profile in run.profiles:
        for control in result_profile.controls:
            statuses = [r.status for r in control.results]
            verdict = "failed" if "failed" in statuses else "passed" if "passed" in statuses else "skipped"
            out[control.id] = (verdict, [(r.status, r.code_desc, r.message or r.skip_message) for r in control.results])
    return profile, out


@pytest.fixture
def files(tmp_path):
    """A folder with a 0640 file, a 0755 directory and a text file."""
    root = tmp_path / "data"
    root.mkdir()
    (root / "secret").write_text("PASS_MAX_DAYS 60\nPASS_MIN_LEN 14\n")
    os.chmod(root / "secret", 0o640)
    (root / "dir").mkdir()
    os.chmod(root / "dir", 0o755)
    return root


def test_metadata_in_every_form(tmp_path):
    path = write_profile(tmp_path, controls={"meta.rb": """
        title 'Metadata forms'
        control 'meta-1' do
          impact 'high'
          title 'A title'
          desc 'The description'
          desc 'rationale', 'Because'
          tag 'plain'
          tag cis: '1.2.3', nist: ['AC-1', 'AC-2']
          tag 'key with space': 'v'
          ref 'CIS Benchmark', url: 'https://example.org/cis'
          describe 1 do
            it { should eq 1 }
          end
        end
        control 'meta-2' do
          impact 0.3
          describe 'x' do
            it { should cmp 'X' }
          end
        end
    """})
    profile, verdicts = run_profile(path)
    first, second = profile.controls
    assert (first.impact, first.title, first.desc) == (0.7, "A title", "The description")
    assert dict(first.descriptions) == {"rationale": "Because"}
    assert first.tags == {"plain": None, "cis": "1.2.3", "nist": ["AC-1", "AC-2"], "key with space": "v"}
    assert first.refs == ({"ref": "CIS Benchmark", "url": "https://example.org/cis"},)
    assert first.source_location.line == 3 and first.code.startswith("control 'meta-1' do")
    assert second.impact == 0.3 and profile.groups[0].title == "Metadata forms"
    assert verdicts == {"meta-1": ("passed", [("passed", "1 is expected to eq 1", None)]),
                        "meta-2": ("passed", [("passed", 'x is expected to cmp == "X"', None)])}


def test_file_matchers_and_permissions(tmp_path, files):
    path = write_profile(tmp_path, controls={"files.rb": f"""
        control 'perms' do
          describe file('{files}/secret') do
            it {{ should exist }}
            it {{ should be_file }}
            it {{ should be_owned_by 'root' }}
            it {{ should_not be_executable }}
            it {{ should be_readable.by('owner') }}
            it {{ should be_readable.by('group') }}
            it {{ should_not be_readable.by('others') }}
            it {{ should_not be_writable.by('group') }}
            it {{ should be_readable.by_user('root') }}
            it {{ should_not be_writable.by_user('nobody') }}
            its('mode') {{ should cmp '0640' }}
            its('content') {{ should match /PASS_MAX_DAYS\\s+(\\d+)/ }}
            its(:content) {{ should_not match 'PASS_WARN' }}
          end
          describe file('{files}/dir') do
            it {{ should be_directory }}
            it {{ should be_executable }}
          end
          describe file('{files}/missing') do
            it {{ should_not exist }}
          end
        end
    """})
    _, verdicts = run_profile(path)
    status, results = verdicts["perms"]
    assert [r for r in results if r[0] != "passed"] == [] and status == "passed"
    assert len(results) == 16


def test_only_if_skips_with_inspec_messages(tmp_path):
    path = write_profile(tmp_path, controls={"skips.rb": """
        control 'block-only' do
          only_if { os.windows? }
          describe 1 do
            it { should eq 2 }
          end
        end
        control 'with-message' do
          describe 1 do
            it { should eq 2 }
          end
          only_if('needs a unicorn') { false }
        end
        control 'runs' do
          only_if { os.linux? && os.family == 'debian' || true }
          describe os.name do
            it { should_not be_nil }
          end
        end
    """})
    _, verdicts = run_profile(path)
    assert verdicts["block-only"] == ("skipped", [("skipped", "Control block-only",
                                                   "Skipped control due to only_if condition.")])
    assert verdicts["with-message"][1][0][2] == "Skipped control due to only_if condition: needs a unicorn"
    assert verdicts["runs"][0] == "passed"


def test_file_level_only_if_skips_every_control_of_the_file(tmp_path):
    path = write_profile(tmp_path, controls={"a.rb": """
        control 'before' do
          describe 1 do it { should eq 1 } end
        end
        only_if('no such command') { command('no-such-command-here').exist? }
        control 'after' do
          describe 1 do it { should eq 1 } end
        end
    """, "b.rb": """
        control 'other-file' do
          describe 1 do it { should eq 1 } end
        end
    """})
    _, verdicts = run_profile(path)
    assert verdicts["before"][0] == verdicts["after"][0] == "skipped"
    assert verdicts["after"][1][0][2] == "Skipped control due to only_if condition: no such command"
    assert verdicts["other-file"][0] == "passed"


def test_operators_compound_and_collection_matchers(tmp_path):
    path = write_profile(tmp_path, controls={"m.rb": """
        control 'ops' do
          describe command('echo 10') do
            its('stdout.strip') { should cmp >= 9 }
            its('stdout.strip.to_i') { should be >= 3 }
            its('exit_status') { should eq(1).or eq(0) }
            its('stdout') { should cmp "10\n" }
          end
          describe 4 do
            it { should >= 2 }
            it { should be_in [3, 4] }
            it { should_not be_nil }
          end
          describe nil do
            it { should be_nil }
          end
          describe [] do
            it { should be_empty }
          end
          describe %w[ab cd] do
            it { should include 'cd' }
            it { should contain_match(/^c/) }
            it { should all(match(/^\\w\\w$/)) }
          end
          describe 'x' do
            it { should eq('y').or eq('x') }
            it { should_not(eq('y').or eq('z')) }
          end
        end
    """})
    _, verdicts = run_profile(path)
    status, results = verdicts["ops"]
    assert [(r[1], r[2]) for r in results if r[0] != "passed"] == []
    assert len(results) == 14


def test_describe_one_reports_the_passing_group(tmp_path):
    path = write_profile(tmp_path, controls={"one.rb": """
        control 'one-passes' do
          describe.one do
            describe 1 do
              it { should eq 2 }
            end
            describe 2 do
              it { should eq 2 }
            end
          end
        end
        control 'none-passes' do
          describe.one do
            describe 1 do
              it { should eq 3 }
            end
            describe 2 do
              it { should eq 3 }
            end
          end
        end
    """})
    _, verdicts = run_profile(path)
    assert verdicts["one-passes"] == ("passed", [("passed", "2 is expected to eq 2", None)])
    assert [r[0] for r in verdicts["none-passes"][1]] == ["failed", "failed"]


def test_its_paths_expect_and_it_descriptions(tmp_path):
    path = write_profile(tmp_path, controls={"its.rb": """
        control 'its' do
          data = { 'a' => { 'b' => [1, 2] } }
          describe data do
            its(['a', 'b']) { should eq [1, 2] }
          end
          describe command('printf "x y"') do
            its('stdout.split.length') { should eq 2 }
          end
          describe '/etc/passwd' do
            it 'names a file that exists' do
              expect(file('/etc/passwd').exist?).to eq true
            end
          end
          expect(1 + 1).to eq 2
          expect('x').not_to eq 'y'
        end
    """})
    _, verdicts = run_profile(path)
    status, results = verdicts["its"]
    assert status == "passed", results
    assert ("passed", "/etc/passwd names a file that exists", None) in results
    assert len(results) == 5


def test_inputs_and_deprecated_attribute(tmp_path):
    path = write_profile(tmp_path, metadata="""
        name: inputs
        inputs:
          - name: declared
            value: 42
    """, controls={"in.rb": """
        declared = input('declared', value: 1)
        defaulted = input('defaulted', value: 'dflt')
        legacy = attribute('declared')
        control 'inputs' do
          describe declared do it { should eq 42 } end
          describe defaulted do it { should eq 'dflt' } end
          describe legacy do it { should cmp 42 } end
        end
    """})
    _, verdicts = run_profile(path)
    assert verdicts["inputs"][0] == "passed", verdicts


def test_custom_resources_from_libraries(tmp_path, files):
    path = write_profile(tmp_path, libraries={"custom.rb": """
        class PasswordPolicy < Inspec.resource(1)
          name 'password_policy'
          supports platform: 'linux'
          desc 'The password policy in a login.defs-like file'
          example "describe password_policy('/etc/login.defs') do its('max_days') { should cmp <= 90 } end"

          def initialize(path)
            @path = path
            @params = {}
            return skip_resource "no file #{path}" unless inspec.file(path).exist?
            inspec.file(path).content.lines.each do |line|
              key, value = line.split
              @params[key] = value
            end
          end

          def max_days
            @params['PASS_MAX_DAYS'].to_i
          end

          def strict?
            max_days <= 90
          end

          def to_s
            "Password policy #{@path}"
          end
        end

        class Broken < Inspec.resource(1)
          name 'broken'
          def initialize
            raise Inspec::Exceptions::ResourceFailed, 'cannot read the broken thing'
          end
        end

        class Unsupported < Inspec.resource(1)
          name 'unsupported_here'
          def initialize
            raise Inspec::Exceptions::ResourceSkipped, 'not on this platform'
          end
          def value
            1
          end
        end
    """}, controls={"c.rb": f"""
        control 'custom' do
          describe password_policy('{files}/secret') do
            its('max_days') {{ should cmp <= 90 }}
            it {{ should be_strict }}
          end
          describe password_policy('{files}/nope') do
            its('max_days') {{ should eq 0 }}
          end
          describe broken do
            it {{ should exist }}
          end
          describe unsupported_here do
            its('value') {{ should eq 1 }}
          end
        end
    """})
    profile, verdicts = run_profile(path)
    assert "password_policy" in profile.resources
    results = verdicts["custom"][1]
    assert results[0] == ("passed", f"Password policy {files}/secret max_days is expected to be at most 90", None)
    assert results[1][0] == "passed"
    assert results[2] == ("skipped", f"Password policy {files}/nope max_days is expected to eq 0",
                          f"no file {files}/nope")
    assert results[3][0] == "failed" and results[3][2] == "cannot read the broken thing"
    assert results[4][0] == "skipped" and results[4][2] == "not on this platform"


def test_where_filters_in_block_and_hash_forms(tmp_path):
    path = write_profile(tmp_path, controls={"where.rb": """
        control 'where' do
          describe passwd.where { uid == 0 } do
            its('users') { should eq ['root'] }
          end
          describe passwd.where(user: 'root') do
            its('uids') { should eq [0] }
          end
          describe passwd.where(user: /^ro+t$/) do
            it { should exist }
          end
        end
    """})
    _, verdicts = run_profile(path)
    assert verdicts["where"][0] == "passed", verdicts


def test_cli_json_report_of_a_ruby_profile(tmp_path):
    path = write_profile(tmp_path, controls={"c.rb": """
        control 'c-1' do
          impact 0.7
          title 'Ruby control'
          describe file('/etc/passwd') do
            it { should exist }
          end
        end
    """})
    report = tmp_path / "out.json"
    result = run_cli("exec", path, "--reporter", f"json:{report}", "--no-color")
    assert result.code == 0, result.err
    control = json.loads(report.read_text())["profiles"][0]["controls"][0]
    assert (control["id"], control["impact"], control["results"][0]["code_desc"]) == \
        ("c-1", 0.7, "File /etc/passwd is expected to exist")
    assert control["source_location"]["line"] == 2


def test_an_example_error_names_its_ruby_class_and_place_like_a_control_error(tmp_path):
    """A NoMethodError inside ``it``/``describe`` reads as one in the control body: class, message, file:line."""
    path = write_profile(tmp_path, controls={"x.rb": """
    control 'in-example' do
      describe 'x' do
        it { nil.upcase }
      end
    end
    control 'in-body' do
      nil.upcase
    end
    """})
    from inspecpy.profile.loader import load_profile
    from inspecpy.run.runner import Selection, run_target
    from inspecpy.targets.local import LocalTarget

    run = run_target([load_profile(str(path))], LocalTarget("local://"), Selection())
    results = {c.id: c.results for p in run.profiles for c in p.controls}
    (example,) = results["in-example"]
    body = results["in-body"][-1]
    assert example.exception == body.exception == "NoMethodError"
    assert example.message == "NoMethodError: undefined method `upcase' for nil (controls/x.rb:4)"
    assert body.message == "NoMethodError: undefined method `upcase' for nil (controls/x.rb:8)"


def test_a_targets_replay_of_the_top_level_is_released_with_the_target(tmp_path):
    """The top level replayed for a target (its variables, resources) does not outlive that target's run."""
    import gc
    import weakref

    from inspecpy.profile.loader import load_profile
    from inspecpy.run.runner import Selection, run_target
    from inspecpy.targets.local import LocalTarget

    path = write_profile(tmp_path, controls={"top.rb": """
    motd = file('/etc/hostname')
    broken = nil.upcase
    control 'uses-top-level' do
      describe motd do
        it { should_not be_nil }
      end
    end
    """})
    profile = load_profile(str(path))
    target = LocalTarget("local://")
    results = run_target([profile], target, Selection())
    assert [c.id for p in results.profiles for c in p.controls] == ["uses-top-level"]
    gone = weakref.ref(target)
    del target, results
    gc.collect()
    assert gone() is None  # the profile (its ControlFile) is alive; the target and its replay are not
