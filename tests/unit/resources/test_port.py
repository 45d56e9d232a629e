"""port: ss output, the /proc/net fallback where ss is missing, and the live machine."""

from __future__ import annotations

from inspecpy import describe
from inspecpy.resources.builtin.port import Port, parse_proc_net, parse_ss, split_address


def test_split_address_handles_ipv6_brackets_interface_and_wildcard():
    assert split_address("[::]:22") == ("::", 22)
    assert split_address("127.0.0.53%lo:53") == ("127.0.0.53", 53)
    assert split_address("*:80") == ("0.0.0.0", 80)
    assert split_address("[::ffff:127.0.0.1]:8080") == ("::ffff:127.0.0.1", 8080)


def test_parse_ss_names_protocols_and_every_owner(recorded):
    rows = parse_ss(recorded("port", "ss_ubuntu")["commands"]["ss -tulpn"]["stdout"])
    assert {"port": 22, "address": "::", "protocol": "tcp6", "process": "sshd", "pid": 812} in rows
    assert [r["pid"] for r in rows if r["port"] == 6379] == [990, 991]
    assert len(rows) == 8


def test_port_reads_ss(replay):
    target = replay("port", "ss_ubuntu")
    ssh = Port(22)
    assert ssh.listening and ssh.protocols == ["tcp", "tcp6"] and ssh.addresses == ["0.0.0.0", "::"]
    assert ssh.processes == ["sshd"] and ssh.pids == [812] and ssh.source == "ss"
    assert not Port(23).listening
    assert Port("127.0.0.1", 6379).processes == ["redis-server"]
    assert Port("0.0.0.0", 6379).exists is False
    assert sorted(Port().where(lambda p: p.port < 100).ports) == [22, 53, 68, 80]
    assert Port().where(protocol="udp").ports == [53, 68]
    assert target.ran == ["ss -tulpn"]  # one probe, shared by every port() of the run


def test_port_falls_back_to_proc_net_when_ss_is_missing(replay):
    target = replay("port", "proc_net_no_ss")
    assert Port(22).protocols == ["tcp", "tcp6"]
    assert Port(6379).addresses == ["127.0.0.1"]
    assert Port(631).addresses == ["::1"]
    assert Port(53).protocols == ["udp"]
    assert Port(22).source == "/proc/net" and Port(22).processes == []
    assert target.ran == ["ss -tulpn"]
    # a TCP socket in ESTABLISHED state (01) is not listening
    assert parse_proc_net(target.recording["files"]["/proc/net/tcp"], "tcp")[-1]["port"] == 6379


def test_port_without_ss_or_proc_is_skipped_with_the_reason(replay):
    replay({})
    result = describe(Port(22)).should.be_listening()
    assert result.status == "skipped"
    assert "neither `ss` nor /proc/net/tcp" in result.skip_message


def test_recorded_container_agrees_between_ss_and_proc(replay, recorded):
    recording = recorded("port", "live_debian12_container")
    replay(recording)
    with_ss = sorted((r["port"], r["address"], r["protocol"]) for r in Port().entries)
    replay({"files": recording["files"]})
    from_proc = sorted((r["port"], r["address"], r["protocol"]) for r in Port().entries)
    assert with_ss == from_proc and with_ss


def test_code_desc_reads_like_inspec(replay):
    replay("port", "ss_ubuntu")
    assert describe(Port(22)).should.be_listening().code_desc == "Port 22 is expected to be listening"
    assert describe(Port(23)).should.be_listening().status == "failed"


def test_port_on_this_machine_agrees_with_proc():
    ss_rows = {(r["port"], r["protocol"]) for r in Port().entries}
    assert Port().source in ("ss", "/proc/net")
    for row in ss_rows:
        assert Port(row[0]).listening


def test_ipv4_mapped_addresses_read_the_same_from_proc_net_as_from_ss(replay, recorded):
    """/proc/net gave ``::ffff:7f00:1`` where ss gives ``::ffff:127.0.0.1`` (a flaky parity test showed it)."""
    recording = recorded("port", "ipv4_mapped")
    replay(recording["with_ss"])
    from_ss = (Port(18081).addresses, Port(18081).protocols)
    replay(recording["proc_net_only"])
    from_proc = (Port(18081).addresses, Port(18081).protocols)
    assert from_ss == from_proc == (["::ffff:127.0.0.1"], ["tcp6"])
    assert Port(18081).source == "/proc/net"
