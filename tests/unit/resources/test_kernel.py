"""kernel_module, kernel_parameter and its alias sysctl."""

from __future__ import annotations

from inspecpy import describe
from inspecpy.resources.builtin.kernel_module import KernelModule, module_policy, parse_modprobe
from inspecpy.resources.builtin.kernel_parameter import KernelParameter
from inspecpy.resources.builtin.sysctl import Sysctl

MODULES = "ext4 1011712 1 - Live 0x0000000000000000\nusb_storage 81920 0 - Live 0x0\ncramfs 20480 0 - Live 0x0\n"
CIS_CONF = "# CIS 1.1.1\ninstall cramfs /bin/false\nblacklist cramfs\ninstall freevxfs /bin/true\nblacklist usb-storage\n" \
           "install udf /usr/local/bin/log-and-load udf\n"


def test_modprobe_directives():
    directives = parse_modprobe("options snd \\\n  index=0\nblacklist usb-storage # why\n")
    assert directives == [("options", "snd", "index=0"), ("blacklist", "usb_storage", "")]
    policy = module_policy(parse_modprobe(CIS_CONF), "cramfs")
    assert policy == {"disabled": True, "blacklisted": True}
    assert module_policy(parse_modprobe(CIS_CONF), "udf") == {"disabled": False, "blacklisted": False}


def test_kernel_module_resource(replay):
    replay({"files": {"/proc/modules": MODULES, "/etc/modprobe.d/cis.conf": CIS_CONF,
                      "/lib/modprobe.d/cis.conf": "blacklist ext4\n",  # shadowed by /etc's file of the same name
                      "/lib/modprobe.d/fb.conf": "blacklist vga16fb\n"},
            "dirs": {"/etc/modprobe.d": ["cis.conf"], "/lib/modprobe.d": ["cis.conf", "fb.conf"]}})
    cramfs = KernelModule("cramfs")
    assert cramfs.loaded and cramfs.disabled and cramfs.blacklisted
    assert KernelModule("freevxfs").disabled and not KernelModule("freevxfs").loaded
    assert KernelModule("usb-storage").loaded and KernelModule("usb_storage").blacklisted
    assert not KernelModule("usb_storage").disabled
    assert KernelModule("vga16fb").blacklisted
    assert not KernelModule("ext4").blacklisted
    assert describe(KernelModule("cramfs")).should.be_disabled().code_desc == \
        "Kernel Module cramfs is expected to be disabled"


def test_kernel_without_module_support(replay):
    replay({})
    assert KernelModule("cramfs").loaded is False
    assert KernelModule("cramfs").disabled is False


def test_kernel_parameter_reads_proc_sys_then_sysctl(replay):
    target = replay({"files": {"/proc/sys/net/ipv4/ip_forward": "0\n", "/proc/sys/kernel/hostname": "web1\n"},
                     "commands": {"sysctl -n vm.swappiness": "60\n"}})
    assert KernelParameter("net.ipv4.ip_forward").value == 0
    assert KernelParameter("kernel.hostname").value == "web1"
    assert KernelParameter("vm.swappiness").value == 60
    assert KernelParameter("net.nope").value is None
    assert "sysctl -n net.nope" in target.ran


def test_sysctl_is_kernel_parameter(replay):
    replay({"files": {"/proc/sys/net/ipv4/tcp_syncookies": "1\n"}})
    result = describe(Sysctl("net.ipv4.tcp_syncookies")).its("value").should.eq(1)
    assert result.status == "passed"
    assert result.code_desc == "Kernel Parameter net.ipv4.tcp_syncookies value is expected to eq 1"


def test_kernel_parameter_is_linux_only(replay):
    replay({"platform": {"name": "freebsd", "family": "freebsd", "families": ["bsd", "unix", "os"]}})
    result = describe(KernelParameter("net.inet.ip.forwarding")).its("value").should.eq(0)
    assert result.status == "skipped" and "not supported on platform freebsd" in result.skip_message


def test_this_machine_has_aslr_parameter():
    assert KernelParameter("kernel.randomize_va_space").value in (0, 1, 2)
