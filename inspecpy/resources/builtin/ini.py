"""The ``ini`` resource: an INI file as sections of keys."""

from __future__ import annotations

import configparser

from inspecpy.resources.builtin.json import Json


class Ini(Json):
    """An INI file; ``its("section.key")`` reads a value (keys before any section sit at the top).

    Python::

        describe(ini("/etc/php.ini")).its("PHP.expose_php").should.cmp("Off")

    YAML::

        - ini: /etc/php.ini
          its: {PHP.expose_php: {cmp: "Off"}}
    """

    name = "ini"
    display_name = "INI"

    def load(self, text: str):
        parser = configparser.ConfigParser(interpolation=None, strict=False, allow_no_value=True)
        # keep key case: the documented configparser idiom, which typeshed models as a read-only method
        parser.optionxform = str  # type: ignore[method-assign, assignment]
        try:
            parser.read_string("[__top__]\n" + text)
        except configparser.Error as error:
            raise ValueError(str(error).splitlines()[0]) from None
        data = {section: dict(parser[section]) for section in parser.sections()}
        top = data.pop("__top__", {})
        return {**top, **data}
