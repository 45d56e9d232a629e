"""The ``service`` resource: a system service under systemd, OpenRC or SysV init."""

from __future__ import annotations

import re
from functools import cached_property

from inspecpy.errors import ResourceSkipped
from inspecpy.resources.base import Resource
from inspecpy.resources.parsers import parse_key_value

#: ``systemctl is-enabled`` exits 0 for these unit file states.
ENABLED_STATES = {"enabled", "enabled-runtime", "static", "alias", "indirect", "generated"}
SYSV_RC_DIRS = ("/etc/rc{}.d", "/etc/rc.d/rc{}.d")


def parse_systemctl_show(text: str) -> dict:
    """``systemctl show -p A,B UNIT`` output → ``{"A": ..., "B": ...}``."""
    return parse_key_value(text, separator="=")


def systemd_state(props: dict) -> dict:
    """installed/enabled/running from ``systemctl show`` properties."""
    return {
        "installed": props.get("LoadState") not in (None, "", "not-found", "masked"),
        "enabled": props.get("UnitFileState") in ENABLED_STATES,
        "running": props.get("SubState") == "running",
        "description": props.get("Description") or None,
    }


def sysv_runlevels(listings: dict[str, list[str]], service: str) -> list[str]:
    """Runlevels whose rc directory starts *service* (an ``S<NN>service`` link)."""
    start = re.compile(rf"^S\d*{re.escape(service)}$")
    return sorted(level for level, names in listings.items() if any(start.match(n) for n in names))


class Service(Resource):
    """A service; the manager is found on the target and named in ``type``.

    systemd is used when it runs the machine (``/run/systemd/system`` exists,
    as ``sd_booted`` checks); else OpenRC (``/run/openrc``); else SysV init
    scripts (``/etc/init.d``). In a container without an init system the
    SysV scripts still say what is installed and enabled, and their
    ``status`` action what runs. ``manager="sysv"`` forces one.

    Python::

        describe(service("ssh")).should.be_installed()
        describe(service("ssh")).should.be_enabled()
        describe(service("telnet")).should_not.be_running()

    YAML::

        - service: cron
          should: [be_installed, be_enabled, be_running]
    """

    name = "service"
    supports = ("unix",)

    MANAGERS = ("systemd", "openrc", "sysv")

    def __init__(self, service_name: str, manager: str | None = None):
        super().__init__()
        if manager is not None and manager not in self.MANAGERS:
            raise ValueError(f"service: manager must be one of {', '.join(self.MANAGERS)}, got {manager!r}")
        self.service_name = service_name
        self._manager = manager

    @property
    def resource_id(self) -> str:
        return self.service_name

    @cached_property
    def type(self) -> str:
        """The service manager used: ``systemd``, ``openrc`` or ``sysv``."""
        if self._manager:
            return self._manager
        stat = self.target.stat
        if stat("/run/systemd/system").type == "directory":
            return "systemd"
        if stat("/run/openrc").exists:
            return "openrc"
        if stat("/etc/init.d").exists or stat("/etc/rc.d/init.d").exists:
            return "sysv"
        raise ResourceSkipped(
            f"service {self.service_name}: no service manager found on the target (systemd, OpenRC or SysV init)"
        )

    @cached_property
    def _state(self) -> dict:
        return getattr(self, f"_probe_{self.type}")()

    def _probe_systemd(self) -> dict:
        result = self.target.run(
            "systemctl show --no-pager -p Id,Description,LoadState,UnitFileState,ActiveState,SubState {}",
            self.service_name)
        props = parse_systemctl_show(result.stdout) if result.exit_status == 0 else {}
        return {**systemd_state(props), "runlevels": [], "params": props}

    def _init_script(self) -> str | None:
        for folder in ("/etc/init.d", "/etc/rc.d/init.d"):
            path = f"{folder}/{self.service_name}"
            if self.target.stat(path).exists:
                return path
        return None

    def _probe_sysv(self) -> dict:
        script = self._init_script()
        if script is None:
            return {"installed": False, "enabled": False, "running": False, "runlevels": [], "params": {}}
        listings = {}
        for level in "0123456":
            for pattern in SYSV_RC_DIRS:
                folder = pattern.format(level)
                if self.target.stat(folder).exists:
                    listings[level] = self.target.listdir(folder)
                    break
        runlevels = sysv_runlevels(listings, self.service_name)
        running = self.target.run("{} status", script).exit_status == 0
        return {"installed": True, "enabled": bool(set(runlevels) & set("2345")), "running": running,
                "runlevels": runlevels, "params": {}}

    def _probe_openrc(self) -> dict:
        script = self._init_script()
        if script is None:
            return {"installed": False, "enabled": False, "running": False, "runlevels": [], "params": {}}
        levels = [lv for lv in self.target.listdir("/etc/runlevels")
                  if self.target.stat(f"/etc/runlevels/{lv}/{self.service_name}").exists] \
            if self.target.stat("/etc/runlevels").exists else []
        running = self.target.run("rc-service {} status", self.service_name).exit_status == 0
        return {"installed": True, "enabled": bool(set(levels) - {"shutdown", "off"}), "running": running,
                "runlevels": sorted(levels), "params": {}}

    @property
    def installed(self) -> bool:
        return self._state["installed"]

    @property
    def enabled(self) -> bool:
        """Started at boot (systemd: ``is-enabled`` semantics; SysV: an S link in runlevel 2-5)."""
        return self._state["enabled"]

    @property
    def running(self) -> bool:
        return self._state["running"]

    @property
    def runlevels(self) -> list[str]:
        """SysV/OpenRC runlevels that start the service (empty under systemd)."""
        return self._state["runlevels"]

    @property
    def description(self) -> str | None:
        return self._state.get("description")

    @property
    def params(self) -> dict:
        """The raw ``systemctl show`` properties (systemd only)."""
        return self._state["params"]
