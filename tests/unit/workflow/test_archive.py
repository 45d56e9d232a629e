"""Archives: reproducible bytes, a manifest of digests, Ed25519 signatures, trust, vendored dependencies."""

import json
import os
import tarfile

import pytest

from inspecpy.profile.archive import MANIFEST, SIGNATURE, Trust, build_archive, open_archive
from inspecpy.errors import SignatureError
from inspecpy.profile.keys import key_id, load_private_key, load_public_key, trusted_keys
from inspecpy.profile.loader import load_profile


def test_same_profile_same_bytes_and_manifest_first(profile_factory, tmp_path, keypair):
    path = profile_factory("p", "a")
    key = load_private_key(keypair[0])
    first = build_archive(load_profile(str(path)), key)
    os.utime(path / "controls" / "main.py", (0, 12345))  # times never reach the archive
    assert build_archive(load_profile(str(path)), key) == first
    (tmp_path / "p.tgz").write_bytes(first)
    with tarfile.open(tmp_path / "p.tgz") as tar:
        names = tar.getnames()
        assert names[:2] == [MANIFEST, SIGNATURE]
        assert all(m.mtime == 0 and m.uid == 0 and m.uname == "" for m in tar.getmembers())
        manifest = json.load(tar.extractfile(MANIFEST))
    assert sorted(manifest["files"]) == ["controls/main.py", "inspec.yml"]
    assert manifest["profile"] == {"name": "p", "version": None}


def test_archive_skips_caches_hidden_files_and_the_output_itself(inproc, profile_factory):
    path = profile_factory("p", "a")
    (path / "controls" / "__pycache__").mkdir()
    (path / "controls" / "__pycache__" / "main.cpython-311.pyc").write_bytes(b"x")
    (path / ".git").mkdir()
    (path / ".git" / "HEAD").write_text("ref")
    (path / "files").mkdir()
    run = inproc("archive", path, "-o", path / "files" / "p.tar.gz")
    assert run.code == 0, run
    with tarfile.open(path / "files" / "p.tar.gz") as tar:
        assert tar.getnames() == [MANIFEST, "controls/main.py", "inspec.yml"]


def test_archive_command_default_name_and_overwrite(inproc, tmp_path, profile_factory, monkeypatch):
    path = profile_factory("p", "a", metadata="name: p\nversion: 1.2.3\n")
    monkeypatch.chdir(tmp_path)
    run = inproc("archive", path)
    assert run.code == 0 and (tmp_path / "p-1.2.3.tar.gz").is_file()
    assert "Archived p 1.2.3 to p-1.2.3.tar.gz" in run.out
    run = inproc("archive", path)
    assert run.code == 1 and "p-1.2.3.tar.gz already exists (use --overwrite to replace it)" in run.err
    assert inproc("archive", path, "--overwrite").code == 0


def test_an_invalid_profile_is_not_archived(inproc, profile_factory, tmp_path):
    path = profile_factory("p", "a", extra={"bad.py": "def oops(:\n"})
    run = inproc("archive", path, "-o", tmp_path / "out.tgz")
    assert run.code == 1
    assert "bad.py:1: SyntaxError" in run.err and "not archived: 1 error(s)" in run.err
    assert not (tmp_path / "out.tgz").exists()


def test_signed_archive_verifies_against_the_trusted_key(profile_factory, tmp_path, keypair):
    data = build_archive(load_profile(str(profile_factory("p", "a"))), load_private_key(keypair[0]))
    (tmp_path / "p.tgz").write_bytes(data)
    folder, verification = open_archive(str(tmp_path / "p.tgz"), Trust(keys=trusted_keys([keypair[1]])))
    assert verification.signed and verification.trusted
    assert verification.key_id == key_id(load_public_key(keypair[1]))
    assert sorted(os.listdir(folder)) == [".inspecpy", "controls", "inspec.yml"]


def test_require_signed_refuses_unsigned_archives_and_folders(inproc, profile_factory, tmp_path, keypair):
    path = profile_factory("p", "a")
    assert inproc("archive", path, "-o", tmp_path / "unsigned.tgz").code == 0
    run = inproc("exec", tmp_path / "unsigned.tgz", "--require-signed", "--trusted-key", keypair[1])
    assert run.code == 5 and "unsigned.tgz: not signed (and --require-signed is set)" in run.err
    run = inproc("exec", path, "--require-signed", "--trusted-key", keypair[1])
    assert run.code == 5 and "not a signed archive" in run.err
    run = inproc("exec", tmp_path / "unsigned.tgz", "--require-signed")
    assert run.code == 1 and "--require-signed needs a trusted key" in run.err


def test_trusted_keys_folder_is_used(inproc, profile_factory, tmp_path, keypair, monkeypatch):
    path = profile_factory("p", "a")
    assert inproc("archive", path, "-o", tmp_path / "s.tgz", "--sign", keypair[0]).code == 0
    folder = tmp_path / "trusted"
    folder.mkdir()
    (folder / "ci.pub").write_bytes(open(keypair[1], "rb").read())
    monkeypatch.setenv("INSPECPY_KEYS_DIR", str(folder))
    run = inproc("check", tmp_path / "s.tgz", "--require-signed")
    assert run.code == 0, run
    assert f"signed by key {key_id(load_public_key(keypair[1]))} (trusted)" in run.out


def test_check_and_json_accept_an_archive(inproc, profile_factory, tmp_path):
    path = profile_factory("p", "a")
    assert inproc("archive", path, "-o", tmp_path / "p.tgz").code == 0
    run = inproc("json", tmp_path / "p.tgz")
    data = json.loads(run.out)
    assert run.code == 0 and data["controls"][0]["source_location"] == {"ref": "controls/main.py", "line": 1}
    assert load_profile(str(path)).sha256 == data["sha256"]  # the manifest folder is not part of the profile


def test_keys_generate(inproc, tmp_path):
    run = inproc("keys", "generate", "--name", "team", "--dir", tmp_path)
    assert run.code == 0
    assert oct(os.stat(tmp_path / "team.key").st_mode & 0o777) == "0o600"
    key = load_public_key(str(tmp_path / "team.pub"))
    assert f"key id {key_id(key)}" in run.out
    run = inproc("keys", "generate", "--name", "team", "--dir", tmp_path)
    assert run.code == 1 and "team.key already exists" in run.err


def test_signing_with_a_non_key_file_is_a_usage_error(inproc, profile_factory, tmp_path):
    (tmp_path / "nokey.pem").write_text("not a key")
    run = inproc("archive", profile_factory("p", "a"), "--sign", tmp_path / "nokey.pem", "-o", tmp_path / "x.tgz")
    assert run.code == 1 and "not a usable PEM private key" in run.err


def test_verification_error_is_raised_before_loading(profile_factory, tmp_path, keypair):
    other = tmp_path / "other"
    from inspecpy.profile.keys import generate_key_pair

    _, other_pub = generate_key_pair("other", str(other))
    (tmp_path / "p.tgz").write_bytes(build_archive(load_profile(str(profile_factory("p", "a"))),
                                                   load_private_key(keypair[0])))
    with pytest.raises(SignatureError, match="which is not a trusted key"):
        open_archive(str(tmp_path / "p.tgz"), Trust(keys=trusted_keys([other_pub])))
