"""The one filter mechanism (FilterTable) and the account tables built on it."""

from __future__ import annotations

import re

import pytest

from inspecpy import describe
from inspecpy.resources.builtin.etc_group import EtcGroup
from inspecpy.resources.builtin.passwd import Passwd
from inspecpy.resources.builtin.shadow import Shadow
from inspecpy.resources.builtin.users import Users

PASSWD = """\
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
sshd:x:105:65534::/run/sshd:/usr/sbin/nologin
alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash
toor:x:0:0:backdoor:/root:/bin/sh
"""
GROUP = "root:x:0:\ndaemon:x:1:\nsudo:x:27:alice,bob\nadm:x:4:alice\nnogroup:x:65534:\nalice:x:1000:\n"
SHADOW = ("root:!:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\nsync:*:19700:0:99999:7:::\n"
          "sshd:*:19700:0:99999:7:::\nalice:$y$j9T$abc:19701:1:90:14:30::\ntoor::19700:0:99999:7:::\n")
ACCOUNTS = {"files": {"/etc/passwd": PASSWD, "/etc/group": GROUP,
                      "/etc/shadow": {"content": SHADOW, "mode": "0640", "gid": 42}}}


@pytest.fixture
def accounts(replay):
    return replay(ACCOUNTS)


def test_where_by_field_value_regex_and_callable(accounts):
    table = Passwd()
    assert table.where(uid=0).users == ["root", "toor"]
    assert table.where(uid="0").users == ["root", "toor"]  # as YAML passes it
    assert table.where(shell=re.compile("nologin$")).users == ["daemon", "sshd"]
    assert table.where(uid=lambda uid: uid >= 1000).users == ["alice"]
    assert table.where(lambda e: e.home == "/root", shell="/bin/sh").users == ["toor"]
    assert table.where(uid=0).where(user="root").count == 1


def test_columns_exists_count_and_entries(accounts):
    table = Passwd()
    assert table.uids == [0, 1, 4, 105, 1000, 0]
    assert table.count == 6 and table.exists
    assert not table.where(user="nobody").exists
    assert table.entries[0]["user"] == "root" and table.entries[0].user == "root"
    assert [row.user for row in table.where(gid=65534)] == ["sync", "sshd"]


def test_simple_columns_flatten_without_repeats(accounts):
    assert EtcGroup().users == ["alice", "bob"]
    assert EtcGroup().where(name="adm").users == ["alice"]


def test_unknown_field_is_a_clear_error(accounts):
    with pytest.raises(KeyError, match="no field 'username' to filter on"):
        Passwd().where(username="root").users
    with pytest.raises(AttributeError, match="row has no field 'username'"):
        Passwd().where(lambda e: e.username == "root").count


def test_code_desc_names_the_filter(accounts):
    result = describe(Passwd().where(uid=0)).its("users").should.eq(["root"])
    assert result.code_desc == '/etc/passwd with uid == 0 users is expected to eq ["root"]'
    assert result.status == "failed" and '["root", "toor"]' in result.message
    lam = describe(Users().where(lambda u: u.uid == 0)).its("usernames").should.include("root")
    assert lam.code_desc == 'Users with u.uid == 0 usernames is expected to include "root"'


def test_users_joins_passwd_groups_and_shadow(accounts):
    alice = Users().where(username="alice").entries[0]
    assert alice.groups == ["alice", "sudo", "adm"]
    assert (alice.maxdays, alice.mindays, alice.warndays, alice.password_locked) == (90, 1, 14, False)
    assert Users().where(lambda u: u.uid == 0).usernames == ["root", "toor"]
    assert Users().where(uid=lambda u: u >= 1000).shells == ["/bin/bash"]
    assert Users().where(username="root").entries[0].password_locked is True


def test_users_prefers_getent(replay):
    replay({"commands": {"getent passwd": "root:x:0:0:root:/root:/bin/bash\nldapuser:x:5000:5000::/home/l:/bin/sh\n",
                         "getent group": "root:x:0:\nldap:x:5000:\n"}})
    assert Users().usernames == ["root", "ldapuser"]
    assert Users().where(username="ldapuser").groupnames == ["ldap"]
    assert Users().maxdays == [None, None]  # shadow unreadable or absent: ageing unknown


def test_shadow_fields(accounts):
    table = Shadow()
    assert table.where(password="").users == ["toor"]
    assert table.where(lambda e: e.max_days is not None and e.max_days > 365).count == 5
    assert table.where(user="alice").inactive_days == [30]
    assert table.where(user="alice").expiry_dates == [None]


def test_where_probes_nothing_until_read(replay):
    target = replay(ACCOUNTS)
    narrowed = Passwd().where(uid=0)
    assert target.ran == [] and "read" not in str(target._cache)
    assert narrowed.users == ["root", "toor"]


def test_shadow_unreadable_is_an_error_not_a_pass(replay):
    replay({"files": {"/etc/shadow": {"content": "", "unreadable": True}}})
    result = describe(Shadow().where(password="")).its("users").should.be_empty()
    assert result.status == "failed" and result.exception == "TargetError"
    assert "permission denied: /etc/shadow" in result.message


def test_tables_on_this_machine():
    assert "root" in Passwd().users
    assert Passwd().where(uid=0).users[0] == "root"
    assert 0 in EtcGroup().gids
    assert Users().where(username="root").uids == [0]
