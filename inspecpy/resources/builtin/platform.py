"""The ``platform`` resource (alias ``os``): what the target is."""

from __future__ import annotations

from inspecpy.resources.base import Resource


class _OsName:
    """``name`` on the class is the registry name; on an instance, the OS name (as in InSpec)."""

    def __get__(self, instance, owner=None):
        return owner.registered_as if instance is None else instance._platform.name


class Platform(Resource):
    """The target's operating system.

    Python::

        describe(platform()).its("family").should.eq("debian")
        describe(os()).should.be_linux()

    YAML::

        - platform: null
          its: {family: {eq: debian}}
    """

    registered_as = "platform"
    name = _OsName()

    @property
    def _platform(self):
        return self.target.platform

    @property
    def family(self) -> str:
        return self._platform.family

    @property
    def families(self) -> list[str]:
        return list(self._platform.families)

    @property
    def release(self) -> str:
        return self._platform.release

    @property
    def arch(self) -> str:
        return self._platform.arch

    @property
    def kernel(self) -> str:
        return self._platform.kernel_release

    @property
    def linux(self) -> bool:
        return self._platform.in_family("linux")

    @property
    def unix(self) -> bool:
        return self._platform.in_family("unix")

    @property
    def windows(self) -> bool:
        return self._platform.in_family("windows")

    def in_family(self, family: str) -> bool:
        """``be_in_family("debian")``."""
        return self._platform.in_family(family)


class Os(Platform):
    """Alias of :class:`Platform` (InSpec's ``os``).

    Python: ``describe(os()).its("family").should.eq("debian")``
    YAML: ``- os: null``
    """

    registered_as = "os"
