"""``--cluster`` mistakes (issue 16): one line that names the value, exit 1, before any target is touched."""

from __future__ import annotations

import pytest

from tests.conftest import error_line, run_cli
from tests.integration.sshd import free_port

CONTROL = "from inspecpy import control, describe\n@control('x')\ndef _():\n    describe(1).should.eq(1)\n"


@pytest.fixture
def profile(make_profile):
    return make_profile(controls={"c.py": CONTROL})


def cluster_error(run) -> str:
    """The one error line without its ``inspecpy: error: `` prefix, of a run that exits 1 and prints nothing."""
    assert run.code == 1 and not run.out
    return error_line(run).removeprefix("inspecpy: error: ")


@pytest.mark.parametrize("value", ["dusk://host:8786", "dask://", "local:0", "local:two", "8786"])
def test_a_cluster_value_that_is_not_one(profile, value):
    assert cluster_error(run_cli("exec", profile, "--cluster", value)) == \
        f"--cluster {value}: expected dask://HOST:PORT, tls://HOST:PORT or local:N"


def test_an_unreachable_scheduler(profile):
    port = free_port()
    message = cluster_error(run_cli("exec", profile, "--cluster", f"dask://127.0.0.1:{port}", "--connect-timeout", "1"))
    assert message.startswith(f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}: ")


@pytest.mark.parametrize("secret", [["--password", "pw"], ["--sudo", "--sudo-password", "pw"],
                                    ["-t", "ssh://me:pw@127.0.0.1:1"]])
def test_secrets_are_refused_over_an_unencrypted_cluster(profile, secret):
    message = cluster_error(run_cli("exec", profile, *secret, "--cluster", "dask://127.0.0.1:1"))
    assert message.startswith("--cluster dask://127.0.0.1:1 is not encrypted: passwords and sensitive inputs are "
                              "only sent to a TLS cluster")
    assert "pw" not in message


def test_a_sensitive_input_is_refused_over_an_unencrypted_cluster(make_profile):
    profile = make_profile(metadata="name: s\ninputs:\n  - name: token\n    sensitive: true\n",
                           controls={"c.py": CONTROL})
    message = cluster_error(run_cli("exec", profile, "--input", "token=s3cret", "--cluster", "dask://127.0.0.1:1"))
    assert "is not encrypted" in message and "s3cret" not in message


def test_tls_files_must_exist_and_need_a_tls_cluster(profile, tmp_path):
    missing = tmp_path / "ca.pem"
    assert cluster_error(run_cli("exec", profile, "--cluster", "tls://127.0.0.1:1", "--cluster-ca", missing)) == \
        f"--cluster-ca {missing}: no such file"
    missing.write_text("x")
    assert cluster_error(run_cli("exec", profile, "--cluster", "dask://127.0.0.1:1", "--cluster-ca", missing)) == \
        "--cluster-ca/--cluster-cert/--cluster-key are for a tls:// cluster (--cluster tls://HOST:PORT)"


def test_a_tls_cluster_without_a_client_certificate(profile):
    assert cluster_error(run_cli("exec", profile, "--cluster", "tls://127.0.0.1:1")) == (
        "--cluster tls://127.0.0.1:1 needs this client's certificate: --cluster-ca, --cluster-cert and "
        "--cluster-key (or Dask's distributed.comm.tls settings)")
