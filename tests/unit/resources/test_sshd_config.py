"""sshd_config / ssh_config: parsed as OpenSSH reads them (first value wins, Match blocks, Include)."""

from __future__ import annotations

import textwrap

from inspecpy import describe
from inspecpy.resources.builtin.ssh_config import SshConfig
from inspecpy.resources.builtin.sshd_config import SshdConfig
from inspecpy.resources.sshconf import include_paths, parse_ssh_config

SAMPLE = textwrap.dedent("""\
    # a comment
    Port 22
    Port 2222
    permitrootlogin no
    PermitRootLogin yes
    Ciphers=aes256-gcm@openssh.com,chacha20-poly1305@openssh.com
    Banner "/etc/issue net"
    MaxAuthTries 3 # trailing comment
    AllowUsers alice
    AllowUsers bob
    Match User backup Address 10.0.0.0/8
        PasswordAuthentication yes
        X11Forwarding yes
    Match Group admins
        PermitRootLogin yes
    """)


def test_keywords_are_case_insensitive_and_the_first_value_wins():
    doc = parse_ssh_config(SAMPLE)
    assert doc.first("PermitRootLogin") == "no"
    assert doc.first("PERMITROOTLOGIN") == "no"
    assert doc.first("Port") == ["22", "2222"]  # Port accumulates
    assert doc.first("AllowUsers") == ["alice", "bob"]


def test_equals_quotes_and_trailing_comments():
    doc = parse_ssh_config(SAMPLE)
    assert doc.first("Ciphers") == "aes256-gcm@openssh.com,chacha20-poly1305@openssh.com"
    assert doc.first("Banner") == "/etc/issue net"
    assert doc.first("MaxAuthTries") == "3"


def test_words_are_joined_by_one_space_as_sshd_splits_them():
    doc = parse_ssh_config('Subsystem\tsftp\t/usr/lib/openssh/sftp-server\nAcceptEnv  LANG   LC_*\n'
                           'Banner "/etc/my  banner"\n')
    assert doc.first("Subsystem") == "sftp /usr/lib/openssh/sftp-server"
    assert doc.first("AcceptEnv") == "LANG LC_*"
    assert doc.first("Banner") == "/etc/my  banner"


def test_match_blocks_are_kept_apart_from_global_settings():
    doc = parse_ssh_config(SAMPLE)
    assert doc.first("PasswordAuthentication") is None
    assert [b.criteria for b in doc.blocks] == ["User backup Address 10.0.0.0/8", "Group admins"]
    assert doc.blocks[0].first("x11forwarding") == "yes"


def test_syntax_errors_are_reported_and_the_rest_still_read():
    doc = parse_ssh_config('PermitRootLogin\nBanner "/etc/issue\nX11Forwarding no\n!!!\n', "cfg")
    assert doc.errors == [
        "cfg:1: PermitRootLogin has no value (sshd refuses to start)",
        "cfg:2: unbalanced quote in 'Banner \"/etc/issue'",
        "cfg:4: cannot parse '!!!'",
    ]
    assert doc.first("X11Forwarding") == "no"


def test_include_globs_are_sorted_and_relative_to_etc_ssh():
    names = {"/etc/ssh/sshd_config.d": ["b.conf", "a.conf", "notes.txt"]}
    assert include_paths("sshd_config.d/*.conf /opt/x.conf", "/etc/ssh", names.__getitem__) == [
        "/etc/ssh/sshd_config.d/a.conf", "/etc/ssh/sshd_config.d/b.conf", "/opt/x.conf"]
    assert include_paths("/missing/*.conf", "/etc/ssh", names.__getitem__) == []


def test_resource_with_debian_dropins_reads_what_sshd_uses(replay):
    replay("sshd_config", "debian12_with_dropins")
    config = SshdConfig()
    # 10-hardening.conf comes first (sorted) and wins over 50-cloud-init.conf and the main file
    assert config.value_of("PasswordAuthentication") == "no"
    assert config.value_of("X11Forwarding") == "no"
    assert config.params["PasswordAuthentication"] == ["no", "yes"]
    assert config.value_of("UsePAM") == "yes" and config.value_of("usepam") == "yes"
    assert config.value_of("ClientAliveInterval") is None
    assert config.get("ClientAliveInterval", "0") == "0"
    assert describe(config).its("PermitRootLogin").should.cmp("no").code_desc == \
        "SSHD Configuration PermitRootLogin is expected to cmp == \"no\""


def test_match_block_lookup(replay):
    replay({"files": {"/etc/ssh/sshd_config": SAMPLE}})
    config = SshdConfig()
    assert config.match_block("user backup  address 10.0.0.0/8") == {"PasswordAuthentication": "yes", "X11Forwarding": "yes"}
    assert config.blocks_setting("PermitRootLogin") == ["yes"]
    assert config.match_blocks[1].params == {"PermitRootLogin": ["yes"]}


def test_missing_file_is_a_failed_result_naming_the_file(replay):
    replay({})
    result = describe(SshdConfig("/etc/ssh/nope")).its("PermitRootLogin").should.cmp("no")
    assert result.status == "failed" and "/etc/ssh/nope" in result.message
    negated = describe(SshdConfig("/etc/ssh/nope")).its("PermitRootLogin").should_not.cmp("yes")
    assert negated.status == "failed"  # a missing file never passes a negative check


def test_ssh_config_reads_global_and_host_star_blocks(replay):
    replay({"files": {"/etc/ssh/ssh_config": textwrap.dedent("""\
        Host github.com
            ForwardAgent yes
        Host *
            ForwardAgent no
            SendEnv LANG LC_*
            HashKnownHosts yes
        Host *
            HashKnownHosts no
        """)}})
    config = SshConfig()
    assert config.value_of("ForwardAgent") == "no"
    assert config.value_of("HashKnownHosts") == "yes"
    assert [b.criteria for b in config.blocks] == ["github.com", "*", "*"]


def test_this_machine_sshd_config_parses_without_errors():
    config = SshdConfig()
    if not config.exists:
        return
    assert config.errors == []
    assert isinstance(config.params, dict)
