"""The ``sysctl`` resource: InSpec's alias of ``kernel_parameter``."""

from __future__ import annotations

from inspecpy.resources.builtin.kernel_parameter import KernelParameter


class Sysctl(KernelParameter):
    """A kernel parameter (same as :class:`KernelParameter`).

    Python: ``describe(sysctl("net.ipv4.tcp_syncookies")).its("value").should.eq(1)``

    YAML::

        - sysctl: net.ipv4.tcp_syncookies
          its: {value: {eq: 1}}
    """

    name = "sysctl"
    display_name = "Kernel Parameter"
