"""The README's first command, as written, on a fresh Debian 12 and its own Python.

A container of ``debootstrap --variant=minbase bookworm`` gets Debian's own
``python3`` (and nothing else: no pip, no venv bootstrap), a copy of this
checkout, and then the README's first command, taken from README.md (not a
copy of it), with host networking so PyPI and Debian's mirrors are reachable.
The ML demo must give its known verdicts, and the tests ``inspecpy init``
writes must pass with what that command installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow
PREREQUISITES = ("apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 ca-certificates >/dev/null"
                 " && ! python3 -c 'import ensurepip' 2>/dev/null")  # Debian's own python3: no venv bootstrap
INIT_TESTS = ("cd /tmp && /src/.venv/bin/inspecpy init profile p --template ml && cd p "
              "&& /src/.venv/bin/inspecpy init resource motd && /src/.venv/bin/python -m pytest -q tests "
              "&& /src/.venv/bin/inspecpy exec . --no-color")


def readme_first_command() -> str:
    """The first ``sh`` block under README.md's "Two commands" heading."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Two commands", 1)[1]
    return re.search(r"```sh\n(.*?)\n```", section, re.S).group(1).strip()


def test_the_readme_names_a_virtual_environment_not_the_system_python():
    command = readme_first_command()
    script = (ROOT / command.split()[0]).read_text()
    assert "python3 -m venv .venv" in script and ".venv/bin/python -m pip install" in script
    assert "inspecpy exec profiles/mlsvs profiles/example" in script


def _checkout_copy(folder: Path) -> Path:
    """The files git tracks (as they are in the work tree), as a fresh user would have them."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return folder


def _ca_bundle() -> str | None:
    """The CA bundle this machine's pip trusts (an egress that inspects TLS needs it); the container's pip
    is told to trust it too, as a user behind such a proxy would configure pip."""
    bundle = os.environ.get("PIP_CERT") or "/etc/ssl/certs/ca-certificates.crt"
    return bundle if os.path.isfile(bundle) else None


def test_readme_first_command_on_a_fresh_debian_12(debian_image, docker_container, tmp_path):
    src = _checkout_copy(tmp_path / "src")
    bundle = _ca_bundle()
    volumes = {str(src): {"bind": "/src", "mode": "rw"}}
    if bundle:
        volumes[bundle] = {"bind": "/host-ca.crt", "mode": "ro"}
    script = (f"set -e; {PREREQUISITES}; cd /src; set +e; {readme_first_command()} --no-color; "
              f"echo \"README-EXIT=$?\"; {INIT_TESTS}; echo \"INIT-EXIT=$?\"")
    container = docker_container(debian_image, ["/bin/sh", "-c", script], network="host", environment={"PIP_CERT": "/host-ca.crt"} if bundle else {},
                           working_dir="/src", volumes=volumes)
    status = container.wait(timeout=1800)
    log = container.logs().decode("utf-8", errors="replace")
    assert status["StatusCode"] == 0, log[-4000:]
    assert "README-EXIT=100" in log, log[-4000:]      # the demo's findings, as the README says
    assert "externally-managed-environment" not in log
    for line in ("×  mlsvs-monitor-01", "×  mlsvs-robust-02", "×  mlsvs-data-04", "✔  mlsvs-model-02",
                 "✔  mlsvs-robust-01", "✔  mlsvs-data-01"):
        assert line in log, log[-4000:]
    assert "INIT-EXIT=0" in log and re.search(r"\b\d+ passed in\b", log), log[-4000:]
