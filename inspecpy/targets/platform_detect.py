"""Platform detection from ``/etc/os-release`` and ``uname``, through any target.

The parsing is a pure function of the probes' output so it is tested
without a host::

    parse_os_release('ID=debian\\nVERSION_ID="12"\\n')["ID"]   # 'debian'
"""

from __future__ import annotations

import shlex

from inspecpy.errors import TargetError
from inspecpy.results import Platform

# InSpec's family names, from the os-release ID / ID_LIKE values.
_FAMILIES = {
    "debian": "debian", "ubuntu": "debian", "linuxmint": "debian", "raspbian": "debian",
    "kali": "debian", "rhel": "redhat", "centos": "redhat", "fedora": "fedora",
    "rocky": "redhat", "almalinux": "redhat", "ol": "redhat", "amzn": "amazon",
    "alpine": "alpine", "arch": "arch", "opensuse": "suse", "sles": "suse",
    "opensuse-leap": "suse", "gentoo": "gentoo",
}


def parse_os_release(text: str) -> dict[str, str]:
    """Parse os-release ``KEY=value`` lines (values may be shell-quoted)."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        try:
            parts = shlex.split(value)
        except ValueError:
            parts = [value.strip("\"'")]
        fields[key.strip()] = parts[0] if parts else ""
    return fields


def platform_from_probes(os_release: str, uname: str, target_id: str) -> Platform:
    """Build a :class:`Platform` from os-release text and ``uname -s -r -m`` output."""
    fields = parse_os_release(os_release)
    kernel, _, rest = uname.strip().partition(" ")
    kernel_release, _, arch = rest.partition(" ")
    os_id = fields.get("ID", kernel.lower() or "unknown")
    family = _FAMILIES.get(os_id)
    if family is None:
        for like in fields.get("ID_LIKE", "").split():
            if like in _FAMILIES:
                family = _FAMILIES[like]
                break
    families = ["linux", "unix", "os"] if kernel == "Linux" else ["unix", "os"]
    if family:
        families.insert(0, family)
    return Platform(
        name=os_id,
        family=family or (kernel.lower() or "unknown"),
        families=tuple(families),
        release=fields.get("VERSION_ID", kernel_release),
        arch=arch.strip(),
        kernel=kernel,
        kernel_release=kernel_release,
        target_id=target_id,
    )


def detect_platform(target) -> Platform:
    """Probe *target* (``/etc/os-release`` and :meth:`~inspecpy.targets.base.Target.uname`) for its Platform."""
    try:
        os_release = target.read_text("/etc/os-release")
    except TargetError:
        os_release = ""
    return platform_from_probes(os_release, target.uname(), target.name)
