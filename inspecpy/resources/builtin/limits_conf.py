"""The ``limits_conf`` resource: PAM resource limits (``/etc/security/limits.conf``)."""

from __future__ import annotations

import posixpath

from inspecpy.resources.base import probe
from inspecpy.resources.config import ConfigResource
from inspecpy.resources.reading import read_required

LIMITS_DIR = "/etc/security/limits.d"


def parse_limits(text: str, params: dict | None = None) -> dict[str, list[list[str]]]:
    """``domain type item value`` lines → ``{domain: [[type, item, value], ...]}``."""
    params = {} if params is None else params
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 4:
            params.setdefault(fields[0], []).append(fields[1:4])
    return params


class LimitsConf(ConfigResource):
    """Resource limits by domain (``*``, a user, ``@group``), as ``[type, item, value]`` lists.

    The default path also reads ``/etc/security/limits.d/*.conf`` in name
    order, as ``pam_limits`` does; a given path reads only that file.

    Python::

        describe(limits_conf()).its("*").should.include(["hard", "core", "0"])
        describe(limits_conf()).its(["@student"]).should.include(["hard", "nproc", "20"])

    YAML::

        - limits_conf: null
          its: {"*": {include: [hard, core, "0"]}}
    """

    name = "limits_conf"
    display_name = "limits.conf"
    default_path = "/etc/security/limits.conf"

    @property
    def resource_id(self) -> str:
        return "" if self.path == self.default_path else self.path

    @probe
    def params(self) -> dict:
        """Domain → ``[type, item, value]`` lists: the file, then ``limits.d/*.conf`` (default path only)."""
        params: dict = {}
        if self.path != self.default_path or self.target.stat(self.path).exists:
            params = self.parse(read_required(self.target, self.path))
        if self.path == self.default_path and self.target.stat(LIMITS_DIR).exists:
            for name in self.target.listdir(LIMITS_DIR):
                if name.endswith(".conf"):
                    parse_limits(self.target.read_text(posixpath.join(LIMITS_DIR, name)), params)
        return params

    def parse(self, text: str) -> dict:
        return parse_limits(text)

    def limit(self, domain: str, item: str, kind: str = "hard") -> str | None:
        """The last value set for *item* of *kind* (``hard``/``soft``; ``-`` sets both) in *domain*."""
        values = [v for t, i, v in self.params.get(domain, []) if i == item and t in (kind, "-")]
        return values[-1] if values else None
