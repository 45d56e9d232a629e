"""mount, etc_fstab, etc_hosts, limits_conf and crontab from recorded files."""

from __future__ import annotations

from inspecpy import describe
from inspecpy.resources.builtin.crontab import Crontab, parse_crontab
from inspecpy.resources.builtin.etc_fstab import EtcFstab, parse_mount_table
from inspecpy.resources.builtin.etc_hosts import EtcHosts
from inspecpy.resources.builtin.limits_conf import LimitsConf
from inspecpy.resources.builtin.mount import Mount

PROC_MOUNTS = """\
/dev/vda / ext4 rw,relatime,discard 0 0
proc /proc proc rw,relatime 0 0
tmpfs /dev/shm tmpfs rw,nosuid,nodev,noexec,relatime 0 0
tmpfs /tmp tmpfs rw,nosuid,nodev 0 0
/dev/vdb /mnt/my\\040disk ext4 rw 0 0
tmpfs /tmp tmpfs rw,nosuid,nodev,noexec 0 0
"""
FSTAB = """\
# /etc/fstab: static file system information.
UUID=1c5c-44 /               ext4    errors=remount-ro 0       1
/dev/sdb1    /home           xfs     defaults,nodev    0       2
tmpfs        /tmp            tmpfs   nodev,nosuid,noexec
server:/srv  /srv/nfs        nfs4    ro,hard
"""


def test_mount_reads_proc_mounts_last_mount_wins(replay):
    replay({"files": {"/proc/mounts": PROC_MOUNTS}})
    tmp = Mount("/tmp/")
    assert tmp.mounted and tmp.count == 2
    assert tmp.options == ["rw", "nosuid", "nodev", "noexec"]
    assert (tmp.device, tmp.type) == ("tmpfs", "tmpfs")
    assert Mount("/mnt/my disk").type == "ext4"
    assert not Mount("/var").mounted and Mount("/var").options == []
    result = describe(Mount("/dev/shm")).its("options").should.include("nodev", "noexec")
    assert result.status == "passed"


def test_mount_falls_back_to_the_mount_command(replay):
    replay({"commands": {"mount": "/dev/vda on / type ext4 (rw,relatime)\ntmpfs on /run/my dir type tmpfs (rw,nosuid)\n"}})
    assert Mount("/").options == ["rw", "relatime"]
    assert Mount("/run/my dir").mounted


def test_fstab_rows_and_defaults():
    rows = parse_mount_table(FSTAB)
    assert rows[2] == {"device_name": "tmpfs", "mount_point": "/tmp", "file_system_type": "tmpfs",
                       "mount_options": ["nodev", "nosuid", "noexec"], "dump_options": 0, "file_system_options": 0}


def test_etc_fstab_filters(replay):
    replay({"files": {"/etc/fstab": FSTAB}})
    fstab = EtcFstab()
    assert fstab.mount_points == ["/", "/home", "/tmp", "/srv/nfs"]
    assert fstab.where(file_system_type="nfs4").device_names == ["server:/srv"]
    assert fstab.where(mount_point="/home").mount_options == [["defaults", "nodev"]]
    assert fstab.where(lambda r: "nodev" not in r.mount_options).count == 2


def test_etc_hosts(replay):
    replay({"files": {"/etc/hosts": "127.0.0.1 localhost  # loopback\n::1 localhost ip6-localhost\n"
                                    "# 10.0.0.1 old\n10.1.2.3 db.internal db\n"}})
    hosts = EtcHosts()
    assert hosts.where(primary_name="localhost").ip_address == ["127.0.0.1", "::1"]
    assert hosts.where(ip_address="10.1.2.3").all_host_names == [["db.internal", "db"]]
    assert hosts.count == 3


def test_limits_conf_with_limits_d(replay):
    replay({"files": {"/etc/security/limits.conf": "#<domain> <type> <item> <value>\n*  soft core 0\n@student hard nproc 20\n",
                      "/etc/security/limits.d/10-core.conf": "* hard core 0 # no dumps\n",
                      "/etc/security/limits.d/README": "* hard core unlimited\n"},
            "dirs": {"/etc/security/limits.d": ["10-core.conf", "README"]}})
    limits = LimitsConf()
    assert limits.params["*"] == [["soft", "core", "0"], ["hard", "core", "0"]]
    assert limits.params["*"] == [["soft", "core", "0"], ["hard", "core", "0"]]  # read again: not appended twice
    assert limits.limit("*", "core") == "0" and limits.limit("@student", "nproc") == "20"
    assert describe(limits).its("*").should.include(["hard", "core", "0"]).status == "passed"


def test_limits_conf_given_path_reads_only_that_file(replay):
    replay({"files": {"/tmp/l.conf": "* hard nofile 1024\n", "/etc/security/limits.d/x.conf": "* hard core 0\n"},
            "dirs": {"/etc/security/limits.d": ["x.conf"]}})
    assert LimitsConf("/tmp/l.conf").params == {"*": [["hard", "nofile", "1024"]]}


def test_limits_conf_missing_everywhere_is_empty(replay):
    replay({})
    assert LimitsConf().params == {}


def test_crontab_parsing():
    system = parse_crontab("SHELL=/bin/sh\n17 * * * * root cd / && run-parts --report /etc/cron.hourly\n"
                           "@reboot root /usr/local/bin/boot.sh\n", system=True)
    assert system[0] == {"minute": "17", "hour": "*", "day": "*", "month": "*", "weekday": "*", "user": "root",
                         "command": "cd / && run-parts --report /etc/cron.hourly"}
    assert system[1]["minute"] == "@reboot" and system[1]["command"] == "/usr/local/bin/boot.sh"


def test_crontab_user_field_ends_at_a_tab_as_in_debians_crontab():
    rows = parse_crontab("17 *\t* * *\troot\tcd / && run-parts --report /etc/cron.hourly\n"
                         "@reboot\troot\t/usr/local/bin/boot.sh\n", system=True)
    assert [(r["user"], r["command"]) for r in rows] == [
        ("root", "cd / && run-parts --report /etc/cron.hourly"), ("root", "/usr/local/bin/boot.sh")]


def test_crontab_of_a_user_and_of_a_file(replay):
    replay({"commands": {"crontab -l -u alice": "# m h dom mon dow command\n0 3 * * 1 /home/alice/backup.sh\n",
                         "crontab -l -u bob": {"stderr": "no crontab for bob\n", "exit_status": 1}},
            "files": {"/etc/crontab": "25 6 * * * root test -x /usr/sbin/anacron || run-parts /etc/cron.daily\n"}})
    assert Crontab("alice").commands == ["/home/alice/backup.sh"]
    assert Crontab("alice").where(weekday="1").users == ["alice"]
    assert not Crontab("bob").exists
    assert Crontab(path="/etc/crontab").users == ["root"]


def test_crontab_command_missing_is_a_skip(replay):
    replay({})
    result = describe(Crontab("root")).its("commands").should.be_empty()
    assert result.status == "skipped" and "not installed" in result.skip_message


def test_this_machine_mounts_root():
    assert Mount("/").mounted
    assert Mount("/").type
