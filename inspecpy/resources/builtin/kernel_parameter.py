"""The ``kernel_parameter`` resource: a sysctl value."""

from __future__ import annotations

from functools import cached_property

from inspecpy.errors import TargetError
from inspecpy.resources.base import Resource
from inspecpy.resources.parsers import to_number


class KernelParameter(Resource):
    """A kernel parameter, read from ``/proc/sys`` (``sysctl -n`` as fallback).

    Python::

        describe(kernel_parameter("net.ipv4.ip_forward")).its("value").should.eq(0)
        describe(kernel_parameter("kernel.randomize_va_space")).its("value").should.eq(2)

    YAML::

        - kernel_parameter: net.ipv4.ip_forward
          its: {value: {eq: 0}}
    """

    name = "kernel_parameter"
    display_name = "Kernel Parameter"
    supports = ("linux",)

    def __init__(self, parameter: str):
        super().__init__()
        self.parameter = parameter

    @property
    def resource_id(self) -> str:
        return self.parameter

    @cached_property
    def value(self):
        """The value (a number when numeric), or None when the parameter does not exist."""
        path = "/proc/sys/" + self.parameter.replace(".", "/")
        if self.target.stat(path).exists:
            try:
                return to_number(self.target.read_text(path).strip())
            except TargetError:
                pass
        result = self.target.run("sysctl -n {}", self.parameter)
        return to_number(result.stdout.strip()) if result.exit_status == 0 else None
