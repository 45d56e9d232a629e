"""Bad archives: each refused with one clear line and the right exit code, nothing written outside."""

import io
import json
import tarfile

import pytest

from inspecpy.profile.archive import MANIFEST, build_archive
from inspecpy.errors import ArchiveError
from inspecpy.profile.keys import generate_key_pair, load_private_key
from inspecpy.profile.loader import load_profile
from inspecpy.profile.safe_tar import Limits, safe_extract
from tests.conftest import run_cli, write_profile

CONTROL = '@control("a", title="t", desc="d")\ndef _():\n    describe(1).should.eq(1)\n'


def make_tar(path, members):
    """A .tar.gz of (TarInfo, bytes or None) pairs."""
    with tarfile.open(path, "w:gz") as tar:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def regular(name, data=b"x"):
    return tarfile.TarInfo(name), data


def link(name, target, kind=tarfile.SYMTYPE):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info, None


def special(name, kind):
    info = tarfile.TarInfo(name)
    info.type = kind
    return info, None


@pytest.fixture
def dest(tmp_path):
    folder = tmp_path / "box" / "dest"
    folder.mkdir(parents=True)
    return folder


def outside(tmp_path):
    """Everything under tmp_path/box except dest (where an escape would land)."""
    return sorted(p.name for p in (tmp_path / "box").iterdir() if p.name != "dest")


@pytest.mark.parametrize("members,message", [
    ([regular("../evil")], "refusing member '../evil': '..' would escape the extraction folder"),
    ([regular("controls/../../evil")],
     "refusing member 'controls/../../evil': '..' would escape the extraction folder"),
    ([regular("/tmp/evil-abs")], "refusing member '/tmp/evil-abs': absolute path"),
    ([link("escape", "/etc/passwd")], "refusing link 'escape' -> '/etc/passwd': points outside the profile"),
    ([link("escape", "../evil")], "refusing link 'escape' -> '../evil': points outside the profile"),
    ([link("d", "."), link("d/x", "../evil")], "refusing link 'd/x': its folder is itself a link"),
    ([link("hard", "/etc/passwd", tarfile.LNKTYPE)], "refusing member '/etc/passwd': absolute path"),
    ([special("dev", tarfile.CHRTYPE)], "refusing member 'dev': a device has no place in a profile"),
    ([special("fifo", tarfile.FIFOTYPE)], "refusing member 'fifo': a FIFO has no place in a profile"),
    ([regular("a"), regular("a", b"swapped")], "refusing member 'a': it appears twice"),
])
def test_unsafe_members_are_refused(tmp_path, dest, members, message):
    archive = make_tar(tmp_path / "bad.tar.gz", members)
    with pytest.raises(ArchiveError) as raised:
        safe_extract(str(archive), str(dest))
    assert str(raised.value) == f"{archive}: {message}"
    assert outside(tmp_path) == []
    assert not (tmp_path / "evil").exists()


def test_links_inside_the_profile_are_kept(tmp_path, dest):
    archive = make_tar(tmp_path / "ok.tar.gz", [regular("files/real", b"data"), link("files/alias", "real")])
    assert safe_extract(str(archive), str(dest)) == ["files/real"]
    assert (dest / "files" / "alias").read_bytes() == b"data"


def test_oversized_members_and_archives(tmp_path, dest):
    archive = make_tar(tmp_path / "big.tar.gz", [regular("a", b"x" * 100), regular("b", b"y" * 100)])
    with pytest.raises(ArchiveError, match="refusing member 'a': 100 bytes \\(the limit is 50\\)"):
        safe_extract(str(archive), str(dest), Limits(member_bytes=50))
    with pytest.raises(ArchiveError, match="more than 150 bytes in all"):
        safe_extract(str(archive), str(dest / "again"), Limits(total_bytes=150))
    with pytest.raises(ArchiveError, match="more than 1 members"):
        safe_extract(str(archive), str(dest / "more"), Limits(members=1))


def test_truncated_gzip(tmp_path):
    path = write_profile(tmp_path, controls={"a.py": CONTROL})
    data = build_archive(load_profile(str(path)))
    (tmp_path / "cut.tar.gz").write_bytes(data[: len(data) // 2])
    run = run_cli("exec", tmp_path / "cut.tar.gz")
    assert run.code == 1
    assert f"inspecpy: error: {tmp_path / 'cut.tar.gz'}: not a valid .tar.gz (truncated or corrupt" in run.err
    assert "Traceback" not in run.err and run.out == ""


def test_not_an_archive_at_all(tmp_path):
    (tmp_path / "x.tar.gz").write_bytes(b"\x1f\x8b garbage")
    run = run_cli("check", tmp_path / "x.tar.gz")
    assert run.code == 1
    assert f"  ×  {tmp_path / 'x.tar.gz'}: not a valid .tar.gz (truncated or corrupt: not a gzip file)" in run.out


def signed(tmp_path, name="ci"):
    path = write_profile(tmp_path, controls={"a.py": CONTROL})
    private, public = generate_key_pair(name, str(tmp_path / f"keys-{name}"))
    return build_archive(load_profile(str(path)), load_private_key(private)), public


def rewrite(data: bytes, change) -> bytes:
    """The archive with its members passed through change(name, bytes) -> bytes or None (drop)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(data)) as src, tarfile.open(fileobj=out, mode="w:gz") as dst:
        for member in src.getmembers():
            content = change(member.name, src.extractfile(member).read())
            if content is not None:
                member.size = len(content)
                dst.addfile(member, io.BytesIO(content))
    return out.getvalue()


def test_signature_by_another_key(tmp_path):
    data, _ = signed(tmp_path, "author")
    _, other_public = generate_key_pair("other", str(tmp_path / "other"))
    (tmp_path / "p.tgz").write_bytes(data)
    run = run_cli("exec", tmp_path / "p.tgz", "--trusted-key", other_public)
    assert run.code == 5
    assert "which is not a trusted key" in run.err and run.out == ""


@pytest.mark.parametrize("change,message", [
    (lambda n, b: b.replace(b"eq(1)", b"eq(2)") if n == "controls/a.py" else b,
     "manifest mismatch: controls/a.py has changed since the archive was made"),
    (lambda n, b: None if n == "controls/a.py" else b,
     "manifest mismatch: controls/a.py is in the manifest but not in the archive"),
])
def test_manifest_mismatch(tmp_path, change, message):
    data, public = signed(tmp_path)
    (tmp_path / "p.tgz").write_bytes(rewrite(data, change))
    run = run_cli("exec", tmp_path / "p.tgz", "--trusted-key", public)
    assert run.code == 5
    assert f"inspecpy: error: {tmp_path / 'p.tgz'}: {message}" in run.err
    assert run.out == ""


def test_added_file(tmp_path):
    data, public = signed(tmp_path)
    out = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(data)) as src, tarfile.open(fileobj=out, mode="w:gz") as dst:
        for member in src.getmembers():
            dst.addfile(member, src.extractfile(member))
        info, extra = regular("controls/zz_backdoor.py", b"import os\n")
        info.size = len(extra)
        dst.addfile(info, io.BytesIO(extra))
    (tmp_path / "p.tgz").write_bytes(out.getvalue())
    run = run_cli("exec", tmp_path / "p.tgz", "--trusted-key", public)
    assert run.code == 5 and "manifest mismatch: controls/zz_backdoor.py is not in the manifest" in run.err


def test_tampered_file_with_a_manifest_forged_to_match(tmp_path):
    import hashlib

    data, public = signed(tmp_path)
    evil = CONTROL.replace("eq(1)", "eq(1)\n    import os").encode()
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        manifest = json.load(tar.extractfile(MANIFEST))
    manifest["files"]["controls/a.py"] = {"sha256": hashlib.sha256(evil).hexdigest(), "size": len(evil)}
    forged = (json.dumps(manifest, sort_keys=True, indent=1) + "\n").encode()
    (tmp_path / "p.tgz").write_bytes(rewrite(data, lambda n, b: forged if n == MANIFEST else
                                             evil if n == "controls/a.py" else b))
    run = run_cli("check", tmp_path / "p.tgz", "--trusted-key", public)
    assert run.code == 5
    assert "bad signature: the manifest was not signed by key" in run.err and run.out == ""
