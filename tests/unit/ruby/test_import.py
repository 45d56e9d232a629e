"""``inspecpy import``: readable Python, one file per Ruby file, comments kept, TODOs where nothing fits."""

from __future__ import annotations

import json

from tests.conftest import run_cli, write_profile


def test_import_writes_python_with_comments_and_todos(tmp_path):
    source = write_profile(tmp_path, name="rb", metadata="""
        name: rb
        inputs:
          - name: max_days
            value: 90
    """, libraries={"motd.rb": """
        # The message of the day
        class Motd < Inspec.resource(1)
          name 'motd'
          desc 'The message of the day'

          def initialize(path = '/etc/motd')
            @path = path
          end

          def content
            inspec.file(@path).content
          end

          def empty?
            content.to_s.strip.empty?
          end
        end
    """}, controls={"main.rb": """
        title 'Main controls'
        max_days = input('max_days', value: 60)

        # password ageing
        control 'ageing' do
          impact 'medium'
          title 'Password ageing'
          tag cis: '5.4.1'
          describe login_defs do
            its('PASS_MAX_DAYS') { should cmp <= max_days }
          end
        end

        control 'one-of' do
          describe.one do
            describe 1 do
              it { should eq 1 }
            end
          end
        end

        control 'objects' do
          describe ObjectSpace.count_objects do
            it { should_not be_empty }
          end
        end
    """})
    out = tmp_path / "py"
    result = run_cli("import", source, out)
    assert result.code == 0, result.err
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.py")) == ["controls/main.py",
                                                                                "libraries/motd.py"]
    controls = (out / "controls" / "main.py").read_text()
    library = (out / "libraries" / "motd.py").read_text()
    for text in (controls, library):
        compile(text, "generated.py", "exec")
    assert controls.startswith('"""Main controls."""')
    assert "# password ageing" in controls and "# The message of the day" in library
    assert 'max_days = input("max_days", value=60)' in controls
    assert '@control("ageing", impact="medium", title="Password ageing", tags={"cis": "5.4.1"})' in controls
    assert 'describe(login_defs()).its("PASS_MAX_DAYS").should.be_at_most(max_days)' in controls
    assert "# TODO: not translated (controls/main.rb:16: `describe.one` (passes when any one group passes" \
        in controls
    assert "# TODO: not translated (controls/main.rb:24:" in controls
    assert "class Motd(Resource):" in library and 'name = "motd"' in library
    assert "@property\n    def empty(self):" in library and "return file(self._path).content" in library
    assert "2 place(s) need a hand" in result.err
    check = run_cli("check", out)
    assert "ageing" not in check.out.split("Summary")[0] or check.code == 0, check.out


def test_import_refuses_a_non_empty_target(tmp_path):
    source = write_profile(tmp_path, name="rb", controls={"a.rb": "control 'a' do\nend\n"})
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "x").write_text("x")
    result = run_cli("import", source, tmp_path / "busy")
    assert result.code == 1 and "exists and is not an empty folder" in result.err


def test_imported_regexes_keep_rubys_per_line_anchors(tmp_path):
    """``^``/``$`` match at every line in Ruby: ``=~``, ``case``/``when``, ``sub`` and ``match?`` keep that."""
    source = write_profile(tmp_path, name="rb", controls={"anchors.rb": """
        text = "a\\nb"
        control 'anchors' do
          only_if { text =~ /^b$/ }
          kind = case text
                 when /^b/ then 'line'
                 else 'none'
                 end
          describe kind do
            it { should eq 'line' }
          end
          describe text.sub(/^b/, 'c') do
            it { should eq "a\\nc" }
          end
          describe text.match?(/^B$/i) do
            it { should eq true }
          end
        end
    """})
    out = tmp_path / "py"
    assert run_cli("import", source, out).code == 0
    for profile in (source, out):
        run = run_cli("exec", profile, "--reporter", "json")
        statuses = [r["status"] for c in json.loads(run.out)["profiles"][0]["controls"] for r in c["results"]]
        assert statuses == ["passed"] * 3, (profile, run.out[-2000:], (out / "controls" / "anchors.py").read_text())
