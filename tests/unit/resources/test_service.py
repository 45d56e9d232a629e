"""service: systemd, SysV init (this container) and OpenRC, from recorded outputs."""

from __future__ import annotations

import pytest

from inspecpy import describe
from inspecpy.resources.builtin.service import Service, parse_systemctl_show, sysv_runlevels, systemd_state


def test_systemctl_show_parsing_and_states():
    props = parse_systemctl_show("Id=a.service\nLoadState=loaded\nUnitFileState=static\nSubState=running\n")
    assert systemd_state(props)["enabled"] and systemd_state(props)["running"]
    assert not systemd_state({"LoadState": "not-found"})["installed"]
    assert not systemd_state({"LoadState": "masked"})["installed"]


def test_sysv_runlevels_reads_start_links_only():
    listings = {"0": ["K01ssh"], "2": ["S01ssh", "S02sshd-extra"], "3": ["S20ssh"]}
    assert sysv_runlevels(listings, "ssh") == ["2", "3"]


def test_systemd_services(replay):
    replay("service", "systemd_ubuntu2204")
    ssh = Service("ssh")
    assert (ssh.type, ssh.installed, ssh.enabled, ssh.running) == ("systemd", True, True, True)
    assert ssh.description == "OpenBSD Secure Shell server"
    cron = Service("cron")
    assert cron.installed and not cron.enabled and not cron.running
    assert Service("systemd-journald").enabled  # static units count, as `systemctl is-enabled` says
    telnet = Service("telnet")
    assert not telnet.installed and not telnet.running


def test_sysv_services_in_a_container_without_systemd(replay):
    replay("service", "sysv_debian12_container")
    ssh = Service("ssh")
    assert ssh.type == "sysv"
    assert ssh.installed and ssh.enabled and not ssh.running
    assert ssh.runlevels == ["2", "3", "4", "5"]
    assert Service("cron").running
    assert not Service("procps").enabled  # started from rcS only
    assert not Service("nginx").installed


def test_openrc_services(replay):
    replay("service", "openrc_alpine")
    sshd = Service("sshd")
    assert (sshd.type, sshd.installed, sshd.enabled, sshd.running) == ("openrc", True, True, True)
    crond = Service("crond")
    assert crond.installed and not crond.enabled and not crond.running


def test_no_service_manager_is_a_skip_that_says_why(replay):
    replay({})
    result = describe(Service("ssh")).should.be_running()
    assert result.status == "skipped"
    assert "no service manager found" in result.skip_message


def test_a_forced_manager_must_be_known():
    with pytest.raises(ValueError, match="manager must be one of"):
        Service("ssh", manager="upstart")


def test_this_machine_names_its_manager():
    ssh = Service("ssh")
    assert ssh.type in ("systemd", "sysv", "openrc")
    assert isinstance(ssh.installed, bool)
