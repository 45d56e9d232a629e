"""The ``package`` resource: an installed package (dpkg, rpm or apk).

Its ``version`` is a :class:`~inspecpy.versions.PackageVersion` for dpkg and
rpm: ordering matchers and ``cmp`` compare it by that package manager's rules.
"""

from __future__ import annotations

from functools import cached_property

from inspecpy.errors import ResourceSkipped
from inspecpy.resources.base import Resource
from inspecpy.versions import PackageVersion

_MANAGERS = {
    "debian": "dpkg", "redhat": "rpm", "fedora": "rpm", "amazon": "rpm", "suse": "rpm", "alpine": "apk",
}


def parse_dpkg(output: str, exit_status: int) -> tuple[bool, str | None]:
    """``dpkg-query -W -f '${Status}|${Version}'`` output → (installed, version)."""
    if exit_status != 0 or "|" not in output:
        return False, None
    status, _, version = output.strip().partition("|")
    installed = status.split()[-1:] == ["installed"]
    return installed, PackageVersion(version, "dpkg") if installed else None


def parse_rpm(output: str, exit_status: int) -> tuple[bool, str | None]:
    """``rpm -q --queryformat RPM_QUERY`` output: ``[EPOCH:]VERSION-RELEASE`` (the first when several)."""
    if exit_status != 0 or "not installed" in output:
        return False, None
    return True, PackageVersion(output.strip().splitlines()[0], "rpm")


#: rpm's version with its epoch when it has one (as dpkg's ``${Version}`` shows it)
RPM_QUERY = "%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\n"


def parse_apk(output: str, exit_status: int, name: str) -> tuple[bool, str | None]:
    """``apk info -e -v NAME`` prints ``NAME-VERSION`` (``openssh-9.6_p1-r0``) and exits 0 when NAME is
    installed, nothing and 1 when not (apk-tools' ``info_exists``; without ``-e`` apk describes any
    package its repositories know, installed or not, without the version)."""
    if exit_status != 0:
        return False, None
    for line in output.splitlines():
        version = line.strip()[len(name) + 1:]
        if line.strip().startswith(name + "-") and version[:1].isdigit():
            return True, version
    return False, None


class Package(Resource):
    """An OS package; the manager follows the target's platform family.

    Python::

        describe(package("openssh-server")).should.be_installed()
        describe(package("openssl")).its("version").should.be_at_least("3.0")
        describe(package("bash")).its("version").should.be_at_least("5.2.15-2")   # dpkg's order

    ``version`` compares by the package manager's rules (dpkg's on Debian,
    rpm's on Red Hat: epochs, revisions, ``~`` and ``+b1``), in every
    ordering matcher and ``cmp``; rpm versions show an epoch when they have one.

    YAML::

        - package: telnet
          should_not: [be_installed]
    """

    name = "package"
    supports = ("linux",)

    def __init__(self, package_name: str):
        super().__init__()
        self.package_name = package_name

    @property
    def resource_id(self) -> str:
        return self.package_name

    @cached_property
    def _info(self) -> tuple[bool, str | None]:
        platform = self.target.platform
        manager = _MANAGERS.get(platform.family)
        if manager == "dpkg":
            r = self.target.run("dpkg-query -W -f '${{Status}}|${{Version}}' {}", self.package_name)
            return parse_dpkg(r.stdout, r.exit_status)
        if manager == "rpm":
            r = self.target.run("rpm -q --queryformat {} {}", RPM_QUERY, self.package_name)
            return parse_rpm(r.stdout, r.exit_status)
        if manager == "apk":
            r = self.target.run("apk info -e -v {}", self.package_name)
            return parse_apk(r.stdout, r.exit_status, self.package_name)
        raise ResourceSkipped(f"package: no known package manager for platform {platform.name}")

    @property
    def installed(self) -> bool:
        return self._info[0]

    @property
    def version(self) -> str | None:
        return self._info[1]
