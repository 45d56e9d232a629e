"""A person's whole path, through the real command line: init → dependency + waiver → signed archive →
verified and run from another directory (the source tree gone)."""

import json
import os
import shutil
import tarfile

from tests.conftest import run_cli


def test_init_to_signed_archive_run_elsewhere(tmp_path):
    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    work.mkdir()
    elsewhere.mkdir()
    env = {**os.environ, "INSPECPY_KEYS_DIR": str(tmp_path / "no-default-keys")}

    assert run_cli("init", "profile", "base", cwd=work, env=env).code == 0
    assert run_cli("init", "profile", "app", cwd=work, env=env).code == 0
    app = work / "app"
    meta = (app / "inspec.yml").read_text()
    (app / "inspec.yml").write_text(meta + "depends:\n  - name: base\n    path: ../base\n")
    (app / "controls" / "base.yml").write_text("- include_controls: base\n  skip: [base-03]\n")
    (app / "controls" / "legacy.py").write_text(
        '@control("app-legacy", impact=0.3, title="A legacy check that fails", desc="waived")\n'
        'def _():\n    describe("telnet").should.eq("ssh")\n')
    assert run_cli("check", "app", cwd=work, env=env).code == 0

    keys = run_cli("keys", "generate", "--name", "release", "--dir", "keys", cwd=work, env=env)
    assert keys.code == 0
    made = run_cli("archive", "app", "--sign", "keys/release.key", cwd=work, env=env)
    assert made.code == 0, made
    archive = work / "app-0.1.0.tar.gz"
    with tarfile.open(archive) as tar:
        assert "vendor/base/controls/example.py" in tar.getnames()

    shutil.copy(archive, elsewhere)
    shutil.copy(work / "keys" / "release.pub", elsewhere)
    shutil.rmtree(work)  # nothing of the source tree is left: the archive carries its dependency
    (elsewhere / "waivers.yml").write_text("app-legacy:\n  justification: telnet goes away in Q3 (@secteam)\n"
                                           "  expiration_date: 2099-12-31\n"
                                           "base-02:\n  justification: not on this host\n  run: false\n")

    checked = run_cli("check", "app-0.1.0.tar.gz", "--trusted-key", "release.pub", "--require-signed",
                      cwd=elsewhere, env=env)
    assert checked.code == 0, checked
    assert "(trusted); every file matches the manifest" in checked.out

    ran = run_cli("exec", "app-0.1.0.tar.gz", "--trusted-key", "release.pub", "--require-signed",
                  "--waiver-file", "waivers.yml", "--reporter", "cli", "json:report.json", cwd=elsewhere, env=env)
    assert ran.code == 0, ran.out + ran.err
    report = json.loads((elsewhere / "report.json").read_text())
    profiles = {p["name"]: p for p in report["profiles"]}
    assert profiles["base"]["parent_profile"] == "app"
    app_controls = {c["id"]: c for c in profiles["app"]["controls"]}
    assert app_controls["app-legacy"]["waiver_data"]["justification"].startswith("telnet goes away")
    assert app_controls["app-legacy"]["results"][0]["status"] == "failed"
    base_controls = {c["id"]: c for c in profiles["base"]["controls"]}
    assert sorted(base_controls) == ["base-01", "base-02"]
    assert base_controls["base-02"]["waiver_data"]["skipped_due_to_waiver"] is True

    assert run_cli("keys", "generate", "--name", "intruder", cwd=elsewhere, env=env).code == 0
    refused = run_cli("exec", "app-0.1.0.tar.gz", "--trusted-key", "intruder.pub", cwd=elsewhere, env=env)
    assert refused.code == 5 and "which is not a trusted key" in refused.err
