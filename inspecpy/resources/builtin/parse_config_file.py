"""The ``parse_config_file`` resource: a key/value file with configurable syntax."""

from __future__ import annotations

from typing import Any

from inspecpy.resources.config import ConfigResource
from inspecpy.resources.builtin.parse_config import parse_config_text


class ParseConfigFile(ConfigResource):
    """A generic ``key = value`` file; options as :func:`parse_config_text` (separator, comments, …).

    Python::

        describe(parse_config_file("/etc/sysctl.conf")).its(["net.ipv4.ip_forward"]).should.cmp(0)
        describe(parse_config_file("/etc/audit/auditd.conf")).its(["max_log_file_action"]).should.cmp("keep_logs")
        describe(parse_config_file("/etc/ntp.conf", separator=" ", multiple_values=True)).its("server").should_not.be_empty()

    YAML::

        - parse_config_file: {path: /etc/audit/auditd.conf, separator: "="}
          its: {space_left_action: {cmp: email}}
    """

    name = "parse_config_file"
    display_name = "Parse Config File"

    def __init__(self, path: str, **options: Any):
        super().__init__(path)
        self.options = options

    def parse(self, text: str) -> dict:
        return parse_config_text(text, **self.options)

    def value(self, key: str | list) -> Any:
        """A key, even one with dots (``value("net.ipv4.ip_forward")``)."""
        if isinstance(key, str) and key in self.params:
            return self.params[key]
        return super().value(key)
