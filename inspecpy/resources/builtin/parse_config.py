"""The ``parse_config`` resource: key/value text with configurable syntax (InSpec's options)."""

from __future__ import annotations

import re
from typing import Any

from inspecpy.resources.config import ConfigResource

#: InSpec's default: ``key = value``, spaces around ``=`` optional.
DEFAULT_ASSIGNMENT = r"^\s*([^=\s]+?)\s*=\s*(.*?)\s*$"


def parse_config_text(text: str, assignment_regex: str | None = None, separator: str | None = None,
                      comment_char: str = "#", standalone_comments: bool = False,
                      multiple_values: bool = False, key_values: int = 1) -> dict[str, Any]:
    """Parse *text* into a dict.

    * ``separator``: ``"="``, ``":"`` or ``" "`` (whitespace); a shortcut for
      ``assignment_regex`` (a regex whose groups are the key and value(s));
    * ``comment_char``: starts a comment (``None`` for none);
      ``standalone_comments=True`` only at line start, else also after a value;
    * ``multiple_values``: a repeated key keeps every value in a list (else the last wins);
    * ``key_values``: how many regex groups after the key make the value (more than 1 → a list).

    >>> parse_config_text("a = 1\\nb=2 # two\\n")
    {'a': '1', 'b': '2'}
    """
    if assignment_regex is None:
        if separator is None or separator == "=":
            assignment_regex = DEFAULT_ASSIGNMENT
        elif separator.strip() == "":
            assignment_regex = r"^\s*(\S+)\s+(.*?)\s*$"
        else:
            sep = re.escape(separator)
            assignment_regex = rf"^\s*([^{sep}\s]+?)\s*{sep}\s*(.*?)\s*$"
    pattern = re.compile(assignment_regex)
    params: dict[str, Any] = {}
    for raw in text.splitlines():
        line = raw
        if comment_char:
            if line.lstrip().startswith(comment_char):
                continue
            if not standalone_comments and comment_char in line:
                line = line.split(comment_char, 1)[0]
        found = pattern.match(line)
        if not found or not found.group(1):
            continue
        groups = found.groups()[1:1 + key_values]
        value: Any = groups[0] if key_values == 1 else list(groups)
        if multiple_values:
            params.setdefault(found.group(1), []).append(value)
        else:
            params[found.group(1)] = value
    return params


class ParseConfig(ConfigResource):
    """Key/value text given as a string (see ``parse_config_file`` for a file).

    Python::

        describe(parse_config("port = 80\\n")).its("port").should.cmp(80)
        describe(parse_config(command("cat /etc/x").stdout, separator=":")).its("user").should.eq("app")

    YAML::

        - parse_config: {content: "port = 80", separator: "="}
          its: {port: {cmp: 80}}
    """

    name = "parse_config"
    display_name = "Parse Config"

    def __init__(self, content: str = "", **options: Any):
        super().__init__("")
        self._given = content
        self.options = options

    @property
    def resource_id(self) -> str:
        return ""

    @property
    def content(self) -> str:
        return self._given

    @property
    def params(self) -> dict:
        return self.parse(self._given)

    def parse(self, text: str) -> dict:
        return parse_config_text(text, **self.options)
