"""The ``kernel_module`` resource: whether a module is loaded, disabled or blacklisted."""

from __future__ import annotations

import re
from functools import cached_property

from inspecpy.errors import TargetError
from inspecpy.resources.base import Resource

#: Where modprobe reads its configuration, first wins for a file name (as kmod does).
MODPROBE_DIRS = ("/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d",
                 "/lib/modprobe.d", "/usr/lib/modprobe.d")
_OFF = re.compile(r"^/(usr/)?s?bin/(true|false)$")


def normalise(module: str) -> str:
    """modprobe treats ``-`` and ``_`` in module names alike."""
    return module.replace("-", "_")


def parse_proc_modules(text: str) -> list[str]:
    """``/proc/modules`` (or ``lsmod``) → loaded module names."""
    return [line.split()[0] for line in text.splitlines() if line.split() and line.split()[0] != "Module"]


def parse_modprobe(text: str) -> list[tuple[str, str, str]]:
    """modprobe.d lines → ``(command, module, rest)``; continuation lines joined."""
    text = re.sub(r"\\\n", " ", text)
    directives = []
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split(None, 2)
        if len(fields) >= 2:
            directives.append((fields[0], normalise(fields[1]), fields[2].strip() if len(fields) > 2 else ""))
    return directives


def module_policy(directives: list[tuple[str, str, str]], module: str) -> dict:
    """disabled (``install M /bin/true|false``) and blacklisted (``blacklist M``, or disabled)."""
    module = normalise(module)
    disabled = any(c == "install" and m == module and _OFF.match(r) for c, m, r in directives)
    listed = any(c == "blacklist" and m == module for c, m, _ in directives)
    return {"disabled": disabled, "blacklisted": listed or disabled}


class KernelModule(Resource):
    """A kernel module: loaded (``/proc/modules``) and its modprobe policy (``modprobe.d``).

    Python::

        describe(kernel_module("cramfs")).should.be_disabled()
        describe(kernel_module("usb_storage")).should.be_blacklisted()
        describe(kernel_module("dccp")).should_not.be_loaded()

    YAML::

        - kernel_module: cramfs
          should: [be_disabled]
          should_not: [be_loaded]
    """

    name = "kernel_module"
    display_name = "Kernel Module"
    supports = ("linux",)

    def __init__(self, module: str):
        super().__init__()
        self.module = module

    @property
    def resource_id(self) -> str:
        return self.module

    @cached_property
    def _directives(self) -> list[tuple[str, str, str]]:
        seen: set[str] = set()
        directives = []
        for folder in MODPROBE_DIRS:
            if self.target.stat(folder).type != "directory":
                continue
            for name in self.target.listdir(folder):
                if name.endswith(".conf") and name not in seen:
                    seen.add(name)
                    try:
                        directives += parse_modprobe(self.target.read_text(f"{folder}/{name}"))
                    except TargetError:
                        continue
        return directives

    @cached_property
    def loaded(self) -> bool:
        """Listed in ``/proc/modules`` (False on a kernel without loadable modules)."""
        try:
            text = self.target.read_text("/proc/modules")
        except TargetError:
            return False
        return normalise(self.module) in {normalise(m) for m in parse_proc_modules(text)}

    @property
    def disabled(self) -> bool:
        """``install MODULE /bin/true`` (or false): loading it does nothing."""
        return module_policy(self._directives, self.module)["disabled"]

    @property
    def blacklisted(self) -> bool:
        """``blacklist MODULE``, or disabled (InSpec counts both)."""
        return module_policy(self._directives, self.module)["blacklisted"]

    @cached_property
    def version(self) -> str | None:
        try:
            return self.target.read_text(f"/sys/module/{normalise(self.module)}/version").strip() or None
        except TargetError:
            return None
