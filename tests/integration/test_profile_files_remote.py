"""A profile's own files are read from the profile, wherever the target is.

The target is an sshd in its own mount namespace whose /work, /tmp, /home…
are not this machine's: it really does not have the checkout, so the mlsvs
demo model and data exist only in the profile. ``inspecpy exec profiles/mlsvs``
must give it the same verdicts as this machine; a plain path is read on the
target (present there only).
"""

from __future__ import annotations

import json
import secrets

import pytest

from tests.conftest import ROOT, run_cli

PROFILE = ROOT / "profiles" / "mlsvs"


@pytest.fixture
def host(isolated_sshd):
    """The shared isolated sshd (tests/servers/fixtures.py): a host without this checkout."""
    return isolated_sshd


def _report(*args) -> dict:
    run = run_cli("exec", PROFILE, "--reporter", "json", *args, timeout=300)
    assert run.code in (0, 100), run.err
    return json.loads(run.out)


def _outcomes(report: dict) -> dict:
    """Per control: each test's status, description and message (what a user reads)."""
    return {c["id"]: [(r["status"], r["code_desc"], r.get("message")) for r in c["results"]]
            for p in report["profiles"] for c in p["controls"]}


def test_the_target_really_lacks_the_checkout(host):
    probe = host.ssh(f"test -e {PROFILE / 'files' / 'model.npz'} && echo present || echo absent")
    assert probe.stdout.strip() == "absent", probe


def test_mlsvs_over_ssh_gives_the_same_verdicts_as_locally(host):
    local, remote = _report(), _report(*host.args())
    assert remote["platform"]["name"] == "ubuntu"  # the isolated host's os-release: it did run there
    assert _outcomes(remote) == _outcomes(local)
    failed = {cid for cid, results in _outcomes(local).items() if any(r[0] == "failed" for r in results)}
    assert failed == {"mlsvs-monitor-01", "mlsvs-robust-02", "mlsvs-robust-03", "mlsvs-data-04"}


def test_a_plain_path_is_read_on_the_target(host):
    path = f"/tmp/inspecpy-model-{secrets.token_hex(4)}.npz"
    host.put(path, (PROFILE / "files" / "model.npz").read_bytes())
    args = ["--controls", "mlsvs-robust-01", "mlsvs-model-03", "--input", f"model_path={path}"]
    remote = _outcomes(_report(*host.args(), *args))
    assert [r[0] for r in remote["mlsvs-robust-01"]] == ["passed"]
    assert [r[0] for r in remote["mlsvs-model-03"]] == ["passed", "passed"]
    local = _outcomes(_report(*args))        # this machine has no such file
    assert all(r[0] == "failed" for results in local.values() for r in results)
    assert f"no such file" in local["mlsvs-model-03"][0][2]
