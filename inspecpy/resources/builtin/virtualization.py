"""The ``virtualization`` resource: is the target a virtual machine or a container, and of which kind."""

from __future__ import annotations

import re
from functools import cached_property

from inspecpy.resources.base import Resource

_CGROUP_CONTAINER = (re.compile(r"^\d+:[^:]+:/(lxc|docker)/.+$", re.M), re.compile(r"^\d+:[^:]+:/[^/]+/(lxc|docker)-.+$",
                                                                                   re.M))
_KUBEPODS = re.compile(r"^\d+:[^:]+:/(kubepods)/.+$", re.M)


class Virtualization(Resource):
    """Virtualization detection, in InSpec's order (Xen, Docker, VirtualBox, LXD, cgroups, Linux-VServer,
    KVM, OpenVZ, OpenStack, Parallels, VMware, Hyper-V): ``system`` (``docker``, ``kvm``…),
    ``role`` (``guest``/``host``), ``virtual_system``, ``physical_system``.

    Python::

        describe(virtualization()).its("role").should_not.eq("guest")
        describe(virtualization()).its("system").should.eq("docker")

    YAML::

        - virtualization: null
          its: {system: {eq: docker}}
    """

    name = "virtualization"
    display_name = "Virtualization Detection"
    supports = ("linux",)

    @cached_property
    def _detected(self) -> tuple[str | None, str | None]:
        for detect in (self._xen, self._docker, self._virtualbox, self._lxd, self._container, self._vserver,
                       self._kvm_cpuinfo, self._kvm_sys, self._openvz, self._openstack, self._parallels,
                       self._vmware, self._hyperv):
            found = detect()
            if found:
                return found
        return None, None

    @property
    def system(self) -> str | None:
        """``docker``, ``lxc``, ``kvm``, ``xen``, ``vbox``, ``vmware``…; None on bare metal."""
        return self._detected[0]

    @property
    def role(self) -> str | None:
        """``guest`` or ``host``; None when nothing was detected."""
        return self._detected[1]

    @property
    def virtual_system(self) -> bool:
        return self.role == "guest"

    @property
    def physical_system(self) -> bool:
        return self._detected == (None, None)

    # one probe per kind, as InSpec's resource does them
    def _exists(self, path: str) -> bool:
        return self.target.stat(path).exists

    def _content(self, path: str) -> str:
        return self.target.read_text(path) if self._exists(path) else ""

    def _xen(self):
        if not self._exists("/proc/xen/capabilities"):
            return None
        return "xen", "host" if re.search("control_d", self._content("/proc/xen/capabilities"), re.I) else "guest"

    def _docker(self):
        if self._exists("/.dockerenv") or self._exists("/.dockerinit"):
            return "docker", "guest"
        return None

    def _virtualbox(self):
        modules = self._content("/proc/modules")
        if re.search(r"^vboxdrv", modules, re.M):
            return "vbox", "host"
        if re.search(r"^vboxguest", modules, re.M):
            return "vbox", "guest"
        return None

    def _lxd(self):
        if self._exists("/dev/lxd/sock"):
            return "lxd", "guest"
        if self._exists("/var/lib/lxd/devlxd"):
            return "lxd", "host"
        return None

    def _container(self):
        cgroup = self._content("/proc/self/cgroup")
        for pattern in _CGROUP_CONTAINER + (_KUBEPODS,):
            found = pattern.search(cgroup)
            if found:
                return found.group(1), "guest"
        if "container=podman" in self._content("/proc/1/environ"):
            return "podman", "guest"
        if re.search(r"\d:[^:]+:/$", cgroup, re.M) and self._command_exists("lxc-version"):
            return "lxc", "host"
        return None

    def _vserver(self):
        found = re.search(r"^(s_context|VxID):\s*(\d+)$", self._content("/proc/self/status"), re.M)
        if not found:
            return None
        return "linux-vserver", "host" if found.group(2) == "0" else "guest"

    def _kvm_cpuinfo(self):
        if re.search(r"QEMU Virtual CPU|Common KVM processor|Common 32-bit KVM processor",
                     self._content("/proc/cpuinfo")):
            return "kvm", "guest"
        return None

    def _kvm_sys(self):
        if not self._exists("/sys/devices/virtual/misc/kvm"):
            return None
        return "kvm", "guest" if "hypervisor" in self._content("/proc/cpuinfo") else "host"

    def _openvz(self):
        if self._exists("/proc/bc/0"):
            return "openvz", "host"
        if self._exists("/proc/vz"):
            return "openvz", "guest"
        return None

    def _openstack(self):
        return ("openstack", "host") if self._command_exists("nova") else None

    def _parallels(self):
        return ("parallels", "guest") if "1ab84000" in self._content("/proc/bus/pci/devices") else None

    def _product(self) -> str:
        return self._content("/sys/devices/virtual/dmi/id/product_name")

    def _vmware(self):
        return ("vmware", "guest") if self._product().startswith("VMware") else None

    def _hyperv(self):
        return ("hyper-v", "guest") if self._product().rstrip() == "Virtual Machine" else None

    def _command_exists(self, command: str) -> bool:
        return self.target.run("command -v {}", command).exit_status == 0

    @property
    def resource_id(self) -> str:
        return self.system or "virtualization"

    def __str__(self) -> str:
        return "Virtualization Detection"
