"""Controls: registration without running, selection, errors as results, skips."""

from pathlib import Path

from inspecpy.profile.loader import load_profile
from inspecpy.run.runner import Selection, run_target
from inspecpy.targets.local import LocalTarget

CONTROLS = '''
from pathlib import Path
from inspecpy import control, describe, input, skip

MARK = Path(__file__).parent.parent / "ran"

def touch(name):
    MARK.mkdir(exist_ok=True)
    (MARK / name).write_text("x")

@control("a-one", impact="high", title="One", tags=["web", {"cis": "1.1"}])
def _():
    touch("a-one")
    describe(1).should.eq(1)
    describe(1).should.eq(2)
    raise RuntimeError("boom in control")

@control("a-two", tags={"nist": ["CM-6"]})
def _():
    touch("a-two")
    skip("not today")

@control("b-three", only_if=lambda: 1 > 2)
def _():
    touch("b-three")
    describe(1).should.eq(1)

@control("b-four")
def _():
    touch("b-four")

@control("b-five")
def _():
    describe(input("greeting")).should.cmp("HELLO")
'''


def load(make_profile):
    path = make_profile(controls={"c.py": CONTROLS}, metadata="name: p\ninputs:\n  - name: greeting\n    value: hello\n")
    return path, load_profile(str(path))


def run(profile, **selection):
    return run_target([profile], LocalTarget("local://"), Selection(**selection))


def ran(path: Path) -> set[str]:
    folder = path / "ran"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def test_loading_registers_without_running(make_profile):
    path, profile = load(make_profile)
    assert [c.id for c in profile.controls] == ["a-one", "a-two", "b-three", "b-four", "b-five"]
    assert profile.controls[0].impact == 0.7
    assert ran(path) == set()


def test_results_errors_and_skips(make_profile):
    path, profile = load(make_profile)
    result = run(profile)
    by_id = {c.id: c for c in result.controls}
    one = by_id["a-one"]
    assert [r.status for r in one.results] == ["passed", "failed", "failed"]
    assert one.results[2].exception == "RuntimeError"
    assert "boom in control" in one.results[2].message
    assert any("boom in control" in line for line in one.results[2].backtrace)
    assert by_id["a-two"].results[0].skip_message == "not today"
    assert by_id["b-three"].results[0].skip_message == "Skipped control due to only_if condition: 1 > 2"
    assert by_id["b-four"].results[0].skip_message == "No tests executed."
    assert by_id["b-five"].status == "passed"
    assert ran(path) == {"a-one", "a-two", "b-four"}


def test_filtered_controls_never_run(make_profile):
    path, profile = load(make_profile)
    result = run(profile, controls=["/^b-f/"])
    assert [c.id for c in result.controls] == ["b-four", "b-five"]
    assert ran(path) == {"b-four"}


def test_tags_select_by_key_value_and_pair(make_profile):
    _, profile = load(make_profile)
    assert [c.id for c in run(profile, tags=["web"]).controls] == ["a-one"]
    assert [c.id for c in run(profile, tags=["CM-6"]).controls] == ["a-two"]
    assert [c.id for c in run(profile, tags=["cis:1.1"]).controls] == ["a-one"]


def test_sensitive_inputs_are_redacted_from_results(make_profile):
    path = make_profile(controls={"c.py": '''
        from inspecpy import control, describe, input
        @control("secret")
        def _():
            describe("token=" + input("token")).should.eq("nope")
    '''}, metadata="name: p\ninputs:\n  - name: token\n    value: s3cr3t-value\n    sensitive: true\n")
    result = run(load_profile(str(path)))
    text = repr(result)
    assert "s3cr3t-value" not in text
    assert result.controls[0].results[0].code_desc == "token=*** is expected to eq \"nope\""
    assert result.controls[0].results[0].message == 'expected: "nope"\n     got: "token=***"\n\n(compared using ==)'
    assert result.profiles[0].inputs[0].value == "***"


def test_unsupported_platform_skips_the_profile(make_profile):
    path = make_profile(controls={"c.py": "from inspecpy import control\n@control('x')\ndef _(): pass\n"},
                        metadata="name: p\nsupports:\n  - platform-family: windows\n")
    result = run(load_profile(str(path)))
    assert result.profiles[0].status == "skipped"
    assert "unsupported platform" in result.profiles[0].status_message
    assert result.controls == ()
