"""Package versions order by their package manager's rules; plain strings by the generic rule.

The dpkg cases are built around this machine's installed packages' versions
and judged by ``dpkg --compare-versions`` itself; the rpm cases by rpm's own
``rpm.vercmp`` (through ``rpm --eval``).
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess

import pytest

from inspecpy import describe
from inspecpy.compare import cmp
from inspecpy.resources.builtin.package import parse_dpkg, parse_rpm
from inspecpy.versions import PackageVersion

# Edits that move a version a little: the places where naive orderings go wrong.
_EDITS = (
    lambda v: v + "~rc1",
    lambda v: v + "+b1",
    lambda v: v + "a",
    lambda v: v + ".0",
    lambda v: v + "-1" if "-" not in v else v.rsplit("-", 1)[0],
    lambda v: v if re.match(r"\d+:", v) else "1:" + v,
    lambda v: re.sub(r"^\d+:", "", v),
    lambda v: re.sub(r"(\d+)(?!.*\d)", lambda m: str(int(m.group(1)) + 1), v),   # last number + 1
    lambda v: re.sub(r"(\d+)(?!.*\d)", lambda m: str(max(int(m.group(1)) - 1, 0)), v),
    lambda v: re.sub(r"(\d+)", lambda m: str(int(m.group(1)) * 10), v, count=1),  # first number x 10
    lambda v: v.replace("+", "~", 1),
    lambda v: v.replace("-", "-0", 1),
)


def _installed_versions() -> list[str]:
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}\n"], capture_output=True, text=True,
                         check=True).stdout
    return sorted(set(out.split()))


def _pairs(versions: list[str], extra: int = 300) -> list[tuple[str, str]]:
    """Each edit of up to 120 installed versions, and random pairs of them (seeded)."""
    rng = random.Random(11)
    edited = rng.sample(versions, min(120, len(versions)))
    pairs = [(v, edit(v)) for v in edited for edit in _EDITS]
    pairs += [(rng.choice(versions), rng.choice(versions)) for _ in range(extra)]
    pairs += [(edit(v), v) for v in rng.sample(versions, min(60, len(versions))) for edit in _EDITS[:4]]
    return list(dict.fromkeys(pairs))


def _dpkg_verdicts(pairs: list[tuple[str, str]]) -> list[int]:
    """-1/0/1 per pair from ``dpkg --compare-versions`` (one shell for all of them)."""
    import shlex

    script = "\n".join(
        f"if dpkg --compare-versions {shlex.quote(a)} lt {shlex.quote(b)} 2>/dev/null; then echo -1; "
        f"elif dpkg --compare-versions {shlex.quote(a)} eq {shlex.quote(b)} 2>/dev/null; then echo 0; "
        f"else echo 1; fi" for a, b in pairs)
    out = subprocess.run(["sh", "-s"], input=script, capture_output=True, text=True, check=True).stdout
    return [int(x) for x in out.split()]


def test_dpkg_order_matches_dpkg_on_installed_versions():
    pairs = [(a, b) for a, b in _pairs(_installed_versions()) if _dpkg_valid(a) and _dpkg_valid(b)]
    assert len(pairs) > 1000
    expected = _dpkg_verdicts(pairs)
    wrong = []
    for (a, b), want in zip(pairs, expected):
        got = PackageVersion(a, "dpkg").compare(b)
        ops = {-1: ("<", "<="), 0: ("<=", ">="), 1: (">", ">=")}[want]
        if got != want or not all(cmp(PackageVersion(a, "dpkg"), op, b) for op in ops) \
                or not all(cmp(b, _flip(op), PackageVersion(a, "dpkg")) for op in ops):
            wrong.append((a, b, want, got))
    assert wrong == []
    assert set(expected) == {-1, 0, 1}


def _flip(op: str) -> str:
    return {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]


def _dpkg_valid(version: str) -> bool:
    """dpkg's syntax: an upstream part starting with a digit (edits like ``-0`` can break it)."""
    return re.fullmatch(r"(\d+:)?\d[A-Za-z0-9.+~:-]*", version) is not None


@pytest.mark.skipif(shutil.which("rpm") is None, reason="rpm is not installed (scripts/install-test-deps.sh)")
def test_rpm_order_matches_rpm_vercmp():
    versions = [v.replace("+", ".") for v in _installed_versions()]   # rpm-style versions from the same stock
    pairs = _pairs(versions)
    expected = []
    for start in range(0, len(pairs), 500):   # one rpm per 500 pairs (the argument list is bounded)
        batch = pairs[start:start + 500]
        lua = "for _, p in ipairs({" + ",".join(f'{{"{a}","{b}"}}' for a, b in batch) + "}) do " \
              "io.write(rpm.vercmp(p[1], p[2]), ' ') end"
        out = subprocess.run(["rpm", "--eval", "%{lua:" + lua + "}"], capture_output=True, text=True, check=True)
        expected += [int(x) for x in out.stdout.split()]
    assert len(expected) == len(pairs) > 1000
    wrong = [(a, b, want, PackageVersion(a, "rpm").compare(b))
             for (a, b), want in zip(pairs, expected) if PackageVersion(a, "rpm").compare(b) != want]
    assert wrong == []


@pytest.mark.parametrize("older, newer", [
    ("1:9.2p1-2", "1:10.0p1-1"),           # the epoch is equal: 10 > 9 numerically
    ("2.36-9+deb12u4", "2.36-10"),         # revisions compare numerically, + is not the end
    ("5.2.15-2+b8", "1:5.2.15"),           # any epoch beats none
    ("1.0~rc1", "1.0"),                    # ~ sorts before the end
    ("1.9", "1.10"),
])
def test_plain_strings_order_by_the_generic_rule(older, newer):
    assert cmp(newer, ">=", older) and cmp(newer, ">", older)
    assert cmp(older, "<", newer) and not cmp(older, ">=", newer)
    assert describe(newer).should.be_at_least(older).status == "passed"
    assert describe(older).should.be_at_least(newer).status == "failed"


def test_package_versions_keep_exact_equality_and_string_form():
    v = parse_dpkg("install ok installed|5.2.15-2+b8", 0)[1]
    assert isinstance(v, PackageVersion) and v.scheme == "dpkg"
    assert describe(v).should.eq("5.2.15-2+b8").status == "passed"
    assert describe(v).should.cmp("5.2.15-2+b8").status == "passed"
    assert describe(v).should.be_between("5.2.15", "5.2.15-3").status == "passed"
    assert sorted(PackageVersion(v, "dpkg") for v in ("1.0-10", "1.0-9", "1.0~1")) == ["1.0~1", "1.0-9", "1.0-10"]
    assert parse_rpm("1:2.0-3.el9\n", 0) == (True, "1:2.0-3.el9")


def test_an_invalid_version_for_the_scheme_is_an_error_not_a_verdict():
    result = describe(PackageVersion("1.0-1", "dpkg")).should.be_at_least("not a version!")
    assert result.status == "failed" and "not a version!" in result.message and "dpkg version" in result.message


def test_package_resource_compares_by_dpkg_on_this_machine():
    """The issue's case: bash 5.2.15-2+bN is older than 1:5.2.15 because of the epoch."""
    if shutil.which("dpkg-query") is None:
        pytest.skip("not a dpkg system")
    from inspecpy.resources import package

    bash = package("bash")
    assert isinstance(bash.version, PackageVersion)
    epoch_higher = "1:" + re.sub(r"^\d+:", "", bash.version)
    assert describe(bash).its("version").should.be_at_least(epoch_higher).status == "failed"
    assert describe(bash).its("version").should.be_less_than(epoch_higher).status == "passed"
    assert describe(bash).its("version").should.cmp(str(bash.version)).status == "passed"
