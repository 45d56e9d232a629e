"""The shell fallback's pure parts: parsing recorded script output (no server needed)."""

import pytest

from inspecpy.errors import TargetError
from inspecpy.targets.base import FileStat
from inspecpy.targets.shell_files import ShellFiles, ls_mode, parse_stat


@pytest.mark.parametrize("text, mode", [
    ("-rw-r--r--", 0o100644), ("drwxrwxrwt", 0o41777), ("-rwsr-sr-x.", 0o106755),
    ("lrwxrwxrwx", 0o120777), ("crw-rw-rw-+", 0o20666), ("-rwSr-----", 0o104640),
])
def test_ls_mode(text, mode):
    assert ls_mode(text) == mode


@pytest.mark.parametrize("out, expected", [
    (b"hex 81a4 0 42 12 1700000000\n",
     FileStat("/p", True, "file", 0o644, 0, 42, 12, 1700000000.0)),
    (b"ls -rw----r-- 0 0 12\n", FileStat("/p", True, "file", 0o604, 0, 0, 12, None)),
    (b"ls crw-rw-rw- 0 0 1,\n", FileStat("/p", True, "character_device", 0o666, 0, 0, None, None)),
    (b"hex A1FF 0 0 9 5\ntarget none\nrel ../missing\n",
     FileStat("/d/p", True, "symlink", 0o777, 0, 0, 9, 5.0, link_path="/missing")),
    (b"hex a1ff 0 0 9 5\ntarget directory\nreal /odd\nname\n",
     FileStat("/d/p", True, "symlink", 0o777, 0, 0, 9, 5.0, link_path="/odd\nname", target_type="directory")),
    (b"missing\nls: cannot access '/p/x': No such file or directory\n", FileStat("/p", False)),
    (b"missing\nls: /p/x: Permission denied\n", FileStat("/p", False, error="Permission denied: /p")),
])
def test_parse_stat(out, expected):
    path = "/d/p" if expected.type == "symlink" else "/p"
    assert parse_stat(path, out) == expected


def test_garbage_is_one_clear_line():
    files = ShellFiles(lambda command: (b"sh: stat: not found\n", b"boom\n", 127),
                       "neither SFTP (cannot open an SFTP session: x) nor the shell fallback could")
    with pytest.raises(TargetError) as caught:
        files.stat("/etc/passwd")
    assert str(caught.value) == ("neither SFTP (cannot open an SFTP session: x) nor the shell fallback could stat "
                                 "/etc/passwd: unexpected output 'sh: stat: not found' boom")
    with pytest.raises(TargetError, match=r"^neither SFTP \(.+\) nor the shell fallback could read /f: boom$"):
        ShellFiles(lambda command: (b"", b"boom\n", 1), "neither SFTP (no sftp) nor the shell fallback could").open("/f")


def test_every_path_is_quoted():
    seen = []
    files = ShellFiles(lambda command: seen.append(command) or (b"names\n", b"", 0), "the shell could not")
    assert files.listdir("/x'; touch /PWNED; '") == []
    assert "p='/x'\"'\"'; touch /PWNED; '\"'\"''" in seen[0]
