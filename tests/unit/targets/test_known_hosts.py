"""known_hosts read once per content and indexed: the same answers as paramiko's HostKeys."""

from __future__ import annotations

import paramiko
import pytest

from inspecpy.targets.ssh.known_hosts import known_hosts


@pytest.fixture(scope="module")
def keys():
    return [paramiko.Ed25519Key.from_private_key_file(str(path)) for path in _keyfiles()]


def _keyfiles():
    import subprocess
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="inspecpy-kh-"))
    for name in ("a", "b"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True)
    return [folder / "a", folder / "b"]


def line(names: str, key) -> str:
    return f"{names} {key.get_name()} {key.get_base64()}"


def test_same_answers_as_paramiko(tmp_path, keys):
    a, b = keys
    hashed = paramiko.HostKeys.hash_host("[secret.example]:2222")
    text = "\n".join([
        "# a comment", "", line("db1,10.0.0.1", a), line("db1", b),   # db1 twice: the first key counts
        line("[db2]:2222", b), line(hashed, a), "garbage line", "db3 ssh-ed25519 not-base64!",
    ]) + "\n"
    path = tmp_path / "known_hosts"
    path.write_text(text)
    ours = known_hosts([str(path), str(tmp_path / "missing")])
    readable = tmp_path / "readable"  # paramiko's load stops at a key that is not base64; OpenSSH skips it
    readable.write_text(text.replace("db3 ssh-ed25519 not-base64!\n", ""))
    theirs = paramiko.HostKeys(str(readable))
    for name in ("db1", "10.0.0.1", "[db2]:2222", "db2", "[secret.example]:2222", "secret.example", "db3"):
        mine, paramikos = ours.lookup(name), theirs.lookup(name)
        assert (mine is None) == (paramikos is None), name
        if mine is not None:
            assert {k: v.get_base64() for k, v in mine.items()} == \
                {k: paramikos[k].get_base64() for k in paramikos.keys()}, name
    assert ours.lookup("db1")["ssh-ed25519"] == a


def test_parsed_once_per_content(tmp_path, keys):
    path = tmp_path / "known_hosts"
    path.write_text(line("db1", keys[0]) + "\n")
    first = known_hosts([str(path)])
    assert known_hosts([str(path)]) is first            # same content: not parsed again
    path.write_text(line("db1", keys[1]) + "\n")         # same size, maybe the same mtime: a new key
    changed = known_hosts([str(path)])
    assert changed is not first and changed.lookup("db1")["ssh-ed25519"] == keys[1]
