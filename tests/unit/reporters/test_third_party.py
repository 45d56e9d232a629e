"""A reporter from a separately packaged plugin: pip-installed into a throw-away venv, then used."""

import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, write_profile

PLUGIN = ROOT / "tests" / "plugins" / "inspecpy_mine"


@pytest.fixture(scope="module")
def venv_python(tmp_path_factory):
    """A venv that sees this environment's packages (inspecpy included) plus the installed plugin."""
    root = tmp_path_factory.mktemp("mine")
    source = root / "src"
    shutil.copytree(PLUGIN, source)  # building writes into the source tree: keep the repo clean
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", root / "venv"],
                   check=True)
    python = root / "venv" / "bin" / "python"
    # When this interpreter is itself a venv (CI's .venv), --system-site-packages reaches only the base
    # interpreter's packages: hand the new venv this one's site folders too (their .pth files included).
    own = subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"],
                         check=True, capture_output=True, text=True).stdout.strip()
    Path(own, "_inspecpy_parent_site.pth").write_text(
        "".join(f"import site; site.addsitedir({folder!r})\n" for folder in site.getsitepackages()))
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                              "--no-build-isolation", "--no-index", str(source)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    return python


def inspecpy(python, *args, cwd=None):
    return subprocess.run([str(python), "-m", "inspecpy", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_installed_reporter_is_listed_by_plugins(venv_python):
    listing = inspecpy(venv_python, "plugins")
    assert listing.returncode == 0, listing.stderr
    line = next(l for l in listing.stdout.splitlines() if l.strip().startswith("mine "))
    assert "one line per control (third-party example)" in line
    assert "mine" in listing.stdout.split("Plugins:")[1]


def test_installed_reporter_writes_beside_builtin_ones(venv_python, tmp_path):
    profile = write_profile(tmp_path, controls={"a.py": (
        "from inspecpy import control, describe\n"
        "@control('good')\ndef _():\n    describe(1).should.eq(1)\n"
        "@control('bad')\ndef _():\n    describe(1).should.eq(2)\n")})
    run = inspecpy(venv_python, "exec", profile, "--reporter", "mine:out.txt", "json:out.json", cwd=tmp_path)
    assert run.returncode == 100, run.stderr
    assert (tmp_path / "out.txt").read_text() == "PASSED good (1 tests)\nFAILED bad (1 tests)\n"
    assert (tmp_path / "out.json").exists()


def test_this_environment_stays_clean():
    listing = subprocess.run([sys.executable, "-m", "inspecpy", "plugins"], capture_output=True, text=True)
    assert listing.returncode == 0 and "third-party example" not in listing.stdout
