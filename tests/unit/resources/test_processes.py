"""processes: ps output, the /proc fallback and InSpec's name matching."""

from __future__ import annotations

import re

from inspecpy.resources.builtin.processes import PROC_COMMAND, PS_COMMAND, Processes, name_pattern, parse_ps

PS = """\
    1     0 root                             Ss   /sbin/init
  812     1 root                             Ss   sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups
 1401   812 root                             Ss   sshd: alice [priv]
 1420  1401 alice                            S    sshd: alice@pts/0
  640     1 root                             Ss   /usr/sbin/cron -f
  990     1 redis                            Ssl  /usr/bin/redis-server 127.0.0.1:6379
 2001  1420 alice                            S+   vim sshd_config.txt
 2002     2 root                             I    [kworker/0:1-events]
"""


def test_parse_ps_keeps_the_whole_command_line():
    rows = parse_ps(PS)
    assert rows[1] == {"pid": 812, "ppid": 1, "user": "root", "state": "Ss",
                       "command": "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups"}
    assert len(rows) == 8


def test_name_matches_the_program_not_an_argument():
    pattern = name_pattern("sshd")
    assert pattern.search("/usr/sbin/sshd -D")
    assert pattern.search("sshd: alice@pts/0")
    assert not pattern.search("vim sshd_config.txt")
    assert not pattern.search("/usr/bin/sshd-agent")
    assert not pattern.search("/usr/bin/python3 /opt/tail.py --follow /var/log/sshd")   # a path argument
    assert not pattern.search("grep -c /usr/sbin/sshd /var/log/auth.log")
    assert name_pattern("/usr/sbin/cron").search("/usr/sbin/cron -f")


def test_processes_by_name(replay):
    replay({"commands": {PS_COMMAND: PS}})
    sshd = Processes("sshd")
    assert sshd.pids == [812, 1401, 1420]
    assert sshd.users == ["root", "root", "alice"]
    assert sshd.where(user="root").count == 2
    assert Processes(re.compile(r"redis|memcached")).users == ["redis"]
    assert not Processes("telnetd").exists
    assert Processes().count == 8


def test_proc_fallback_where_ps_is_missing(replay):
    proc = "1 0 0 S /sbin/init \n812 1 0 S /usr/sbin/sshd -D \n990 1 109 S /usr/bin/redis-server *:6379 \n"
    target = replay({"commands": {PROC_COMMAND: proc},
                     "files": {"/etc/passwd": "root:x:0:0::/root:/bin/sh\nredis:x:109:115::/var/lib/redis:/usr/sbin/nologin\n"}})
    assert Processes("redis-server").users == ["redis"]
    assert Processes("sshd").commands == ["/usr/sbin/sshd -D"]
    assert target.ran[0] == PS_COMMAND


def test_this_machine_lists_itself():
    import os

    mine = Processes().where(pid=os.getpid())
    assert mine.count == 1 and "python" in mine.commands[0]
