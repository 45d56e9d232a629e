"""setup.cfg lists every package, so a wheel holds everything an editable install sees."""

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_package_is_listed_in_setup_cfg():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    listed = {line.strip() for line in config["options"]["packages"].splitlines() if line.strip()}
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "inspecpy").rglob("__init__.py")}
    found.add("inspecpy.reporters")  # the top-level reporters/ folder, mapped by package_dir
    assert found == listed
