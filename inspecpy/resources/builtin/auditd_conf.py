"""The ``auditd_conf`` resource: ``/etc/audit/auditd.conf`` settings."""

from __future__ import annotations

from inspecpy.resources.builtin.parse_config import parse_config_text
from inspecpy.resources.config import ConfigResource


class AuditdConf(ConfigResource):
    """The audit daemon's configuration, ``key = value`` lines (keys as written, values as strings).

    Python::

        describe(auditd_conf()).its("max_log_file_action").should.cmp("keep_logs")
        describe(auditd_conf()).its("space_left").should.cmp(75)

    YAML::

        - auditd_conf: null
          its: {log_format: {cmp: raw}}
    """

    name = "auditd_conf"
    display_name = "Audit Daemon Config"
    default_path = "/etc/audit/auditd.conf"
    supports = ("unix",)

    def parse(self, text: str) -> dict:
        return parse_config_text(text)

    @property
    def resource_id(self) -> str:
        return self.path

    def __str__(self) -> str:
        return "Audit Daemon Config"
