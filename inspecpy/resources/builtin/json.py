"""The ``json`` resource: a JSON file (or JSON text) as nested keys."""

from __future__ import annotations

import json as jsonlib

from inspecpy.errors import TargetError
from inspecpy.resources.config import ConfigResource


class Json(ConfigResource):
    """A JSON document; ``its("a.b")`` walks nested keys.

    Python::

        describe(json("/etc/app.json")).its("server.port").should.eq(443)
        describe(json(content='{"a": 1}')).its("a").should.eq(1)

    YAML::

        - json: /etc/app.json
          its: {server.port: {eq: 443}}
    """

    name = "json"
    display_name = "JSON"

    def __init__(self, path: str | None = None, content: str | None = None):
        super().__init__(path or "")
        self._given = content

    @property
    def params(self):
        if self._given is not None:
            return self.parse(self._given)
        return super().params

    def parse(self, text: str):
        try:
            return self.load(text)
        except ValueError as error:
            raise TargetError(f"{self.path or 'content'} is not valid {self.display_name}: {error}") from None

    def load(self, text: str):
        return jsonlib.loads(text)
