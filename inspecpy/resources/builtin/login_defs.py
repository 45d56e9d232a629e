"""The ``login_defs`` resource: ``/etc/login.defs`` keys."""

from __future__ import annotations

from inspecpy.resources.config import ConfigResource
from inspecpy.resources.parsers import parse_key_value


class LoginDefs(ConfigResource):
    """``/etc/login.defs`` as key → value strings.

    Python::

        describe(login_defs()).its("PASS_MAX_DAYS").should.be_at_most(90)
        describe(login_defs()).its("ENCRYPT_METHOD").should.cmp("SHA512")

    YAML::

        - login_defs: null
          its: {PASS_MAX_DAYS: {be_at_most: 90}}
    """

    name = "login_defs"
    display_name = "login.defs"
    default_path = "/etc/login.defs"

    def parse(self, text: str) -> dict:
        return parse_key_value(text)

    @property
    def resource_id(self) -> str:
        return "" if self.path == self.default_path else self.path
