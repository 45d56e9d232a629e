"""Bad Ruby profiles: each gives a clear one-line message naming what is wrong, and the other controls run."""

from __future__ import annotations

import json


from tests.conftest import run_cli, write_profile


GOOD = {"good.rb": """
    control 'good' do
      describe 1 do
        it { should eq 1 }
      end
    end
"""}


def run_json(path, tmp_path):
    report = tmp_path / "report.json"
    result = run_cli("exec", path, "--reporter", f"json:{report}", "--no-color", timeout=300)
    assert "Traceback" not in result.err
    data = json.loads(report.read_text()) if report.exists() else None
    return result, data


def results(data) -> dict[str, list[dict]]:
    return {c["id"]: c["results"] for p in data["profiles"] for c in p["controls"]}


def test_syntax_error_names_file_and_line(tmp_path):
    path = write_profile(tmp_path, controls={**GOOD, "broken.rb": """
        control 'broken' do
          describe 1 do
            it { should eq 1
          end
        end
    """})
    result, data = run_json(path, tmp_path)
    assert result.code == 1
    assert "inspecpy: error: controls/broken.rb:4: Ruby syntax error" in result.err
    assert results(data)["good"][0]["status"] == "passed"
    check = run_cli("check", path)
    assert "controls/broken.rb:4: Ruby syntax error" in check.out and check.code == 1


def test_a_library_without_resources_and_a_resource_nobody_defines(tmp_path):
    path = write_profile(tmp_path, libraries={"helpers.rb": """
        # only a helper, no resource
        def double(x)
          x * 2
        end
    """}, controls={**GOOD, "uses.rb": """
        control 'helper' do
          describe double(2) do
            it { should eq 4 }
          end
        end
        control 'missing-resource' do
          describe no_such_resource('x') do
            it { should exist }
          end
        end
    """})
    result, data = run_json(path, tmp_path)
    found = results(data)
    assert found["helper"][0]["status"] == "passed" and found["good"][0]["status"] == "passed"
    failure = found["missing-resource"][0]
    assert failure["status"] == "failed"
    assert "undefined local variable or method `no_such_resource' (controls/uses.rb:8)" in failure["message"]


def test_a_resource_that_raises_in_initialize(tmp_path):
    path = write_profile(tmp_path, libraries={"broken.rb": """
        class Fragile < Inspec.resource(1)
          name 'fragile'
          def initialize
            raise ArgumentError, 'fragile needs a path'
          end
        end
    """}, controls={**GOOD, "uses.rb": """
        control 'fragile' do
          describe fragile do
            it { should exist }
          end
        end
    """})
    result, data = run_json(path, tmp_path)
    found = results(data)
    assert found["good"][0]["status"] == "passed"
    assert found["fragile"][0]["status"] == "failed"
    assert "fragile: initialize raised ArgumentError: fragile needs a path" in found["fragile"][0]["message"]


def test_an_input_with_no_value_and_no_default(tmp_path):
    path = write_profile(tmp_path, controls={**GOOD, "inputs.rb": """
        threshold = input('threshold')
        control 'uses-input' do
          describe threshold do
            it { should eq 1 }
          end
        end
        control 'ignores-input' do
          describe 2 do
            it { should eq 2 }
          end
        end
    """})
    result, data = run_json(path, tmp_path)
    found = results(data)
    message = found["uses-input"][0]["message"]
    assert "input 'threshold' has no value (set it with --input threshold=VALUE" in message
    assert found["ignores-input"][0]["status"] == found["good"][0]["status"] == "passed"
    check = run_cli("check", path)
    assert "controls/inputs.rb:2: input 'threshold' is used but not declared" in check.out


def test_a_regex_python_cannot_express_names_the_feature(tmp_path):
    path = write_profile(tmp_path, controls={**GOOD, "regex.rb": """
        control 'unicode-property' do
          describe 'Zürich' do
            it { should match(/\\p{L}+/) }
          end
        end
    """})
    result, data = run_json(path, tmp_path)
    failure = results(data)["unicode-property"][0]
    assert failure["status"] == "failed"
    assert "\\p{...} (Unicode property) has no equivalent in Python's re" in failure["message"]
    assert "controls/regex.rb:4" in failure["message"]
    assert results(data)["good"][0]["status"] == "passed"
    check = run_cli("check", path)
    assert "controls/regex.rb:4: Ruby regex /\\p{L}+/: \\p{...} (Unicode property)" in check.out


def test_unsupported_ruby_fails_its_control_and_check_lists_every_place(tmp_path):
    path = write_profile(tmp_path, controls={**GOOD, "meta.rb": """
        control 'objectspace' do
          count = ObjectSpace.each_object(String).count
          describe count do
            it { should be > 0 }
          end
        end
        control 'shell-out' do
          describe `id -u` do
            it { should eq "0\\n" }
          end
        end
    """})
    result, data = run_json(path, tmp_path)
    found = results(data)
    assert "Ruby `ObjectSpace` at controls/meta.rb:3 is not supported" in found["objectspace"][0]["message"]
    assert "Ruby backtick command at controls/meta.rb:9 is not supported" in found["shell-out"][0]["message"]
    assert found["good"][0]["status"] == "passed"
    check = run_cli("check", path)
    assert "controls/meta.rb:3: Ruby `ObjectSpace` is not supported" in check.out
    assert "controls/meta.rb:9: Ruby backtick command is not supported" in check.out
    assert check.code == 1


def test_same_id_in_ruby_and_python_controls_is_a_clear_error(tmp_path):
    path = write_profile(tmp_path, controls={"a.rb": """
        control 'twice' do
          describe 1 do
            it { should eq 1 }
          end
        end
    """, "b.py": """
        from inspecpy import control, describe

        @control("twice")
        def _():
            describe(1).should.eq(1)
    """})
    result = run_cli("exec", path, "--no-color")
    assert result.code == 1
    assert "duplicate control id 'twice'" in result.err and "a.rb:2" in result.err and "b.py:4" in result.err
    assert result.err.count("\n") == 1


def test_an_enormous_generated_control_file_loads_and_runs(tmp_path):
    controls = "".join(f"""
control 'gen-{i}' do
  impact 0.5
  title 'Generated {i}'
  describe {i} do
    it {{ should eq {i} }}
  end
end
""" for i in range(3000))
    path = write_profile(tmp_path, controls={"generated.rb": controls})
    result, data = run_json(path, tmp_path)
    assert result.code == 0, result.err
    assert len(results(data)) == 3000


def test_a_deeply_nested_expression_is_a_clear_error(tmp_path):
    nested = "[" * 5000 + "]" * 5000
    path = write_profile(tmp_path, controls={**GOOD, "deep.rb": f"x = {nested}\n"})
    result, data = run_json(path, tmp_path)
    assert "controls/deep.rb" in result.err and "nested too deeply" in result.err
    assert results(data)["good"][0]["status"] == "passed"
