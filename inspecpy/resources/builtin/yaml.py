"""The ``yaml`` resource: a YAML file as nested keys."""

from __future__ import annotations

from inspecpy.resources.builtin.json import Json


class Yaml(Json):
    """A YAML document; ``its("a.b")`` walks nested keys.

    Python::

        describe(yaml("/etc/app.yml")).its("server.tls").should.eq(True)

    YAML::

        - yaml: /etc/app.yml
          its: {server.tls: {eq: true}}
    """

    name = "yaml"
    display_name = "YAML"

    def load(self, text: str):
        import yaml as yamllib

        try:
            return yamllib.safe_load(text)
        except yamllib.YAMLError as error:
            raise ValueError(str(error).splitlines()[0]) from None
