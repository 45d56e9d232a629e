"""Inputs: values a profile declares in inspec.yml and users set on the command line.

Precedence (as InSpec): ``--input`` > ``--input-file`` > a wrapper profile
(an entry with ``profile: NAME`` in the inspec.yml of a profile that depends
on NAME) > profile metadata > the default given in code
(``input("name", value=...)``)::

    inputs = InputSet.build(meta_inputs, overrides={"os_version": "6.1"})
    inputs.get("os_version")   # '6.1'

Sensitive values never reach a report or a log: :meth:`InputSet.report`
shows ``***``, and :mod:`inspecpy.redaction` keeps them out of results and logs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from inspecpy.yaml_errors import yaml_problem
from inspecpy.errors import InputError, Where, read_text_file
from inspecpy.redaction import REDACTED
from inspecpy.results import InputValue

_MISSING = object()
TYPES = ("String", "Numeric", "Regexp", "Array", "Hash", "Boolean", "Any")
_TYPE_NAMES = {t.lower(): t for t in TYPES}


def type_name(name: Any, where: str = "inspec.yml", input_name: str = "?") -> str | None:
    """InSpec's type name for *name*, case-insensitive (``string`` → ``String``)."""
    if name is None:
        return None
    found = _TYPE_NAMES.get(str(name).strip().lower())
    if found is None:
        raise InputError(Where(where), f"input '{input_name}' has unknown type {name!r} (known: {', '.join(TYPES)})")
    return found


@dataclass
class InputSpec:
    """An input as declared in ``inspec.yml``."""

    name: str
    value: Any = _MISSING
    type: str | None = None
    required: bool = False
    sensitive: bool = False
    description: str | None = None


def coerce(name: str, value: Any, type_name: str | None) -> Any:
    """Convert a command-line string to the declared type, or say why it cannot."""
    if type_name in (None, "Any") or value is None:
        return value
    if type_name == "String":
        return value if isinstance(value, str) else str(value)
    if type_name == "Numeric":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        try:
            return int(value) if re.fullmatch(r"[-+]?\d+", str(value).strip()) else float(value)
        except (TypeError, ValueError):
            raise InputError(f"input '{name}' must be Numeric, got {value!r}") from None
    if type_name == "Boolean":
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "yes", "1"):
            return True
        if str(value).lower() in ("false", "no", "0"):
            return False
        raise InputError(f"input '{name}' must be Boolean, got {value!r}")
    if type_name == "Regexp":
        try:
            re.compile(str(value))
        except re.error as error:
            raise InputError(f"input '{name}' is not a valid Regexp: {error}") from None
        return str(value)
    if type_name in ("Array", "Hash"):
        if isinstance(value, str):
            value = yaml.safe_load(value)
        expected = list if type_name == "Array" else dict
        if not isinstance(value, expected):
            raise InputError(f"input '{name}' must be {type_name}, got {value!r}")
        return value
    raise InputError(f"input '{name}' has unknown type {type_name!r} (known: {', '.join(TYPES)})")


def parse_cli_inputs(pairs: list[str]) -> dict[str, Any]:
    """``NAME=VALUE`` strings to a mapping (values stay strings until typed)."""
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--input {pair!r} is not NAME=VALUE")
        out[name.strip()] = value
    return out


def load_input_file(path: str) -> dict[str, Any]:
    """A YAML mapping of input names to values."""
    text = read_text_file(path, "input file", InputError)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        problem = yaml_problem(path, error)
        raise InputError(f"input file {problem.where.place} is not valid YAML: {problem.message}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(f"input file {path} must hold a mapping of input names to values")
    return data


@dataclass
class InputSet:
    """The resolved inputs of one profile."""

    specs: dict[str, InputSpec] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, declared: list[dict] | None, overrides: dict[str, Any] | None = None,
              where: str = "inspec.yml", profile: str | None = None,
              wrapper: list[dict] | None = None) -> "InputSet":
        """The inputs of *profile*, by precedence (lowest first).

        *declared* are the profile's own ``inputs:`` (entries scoped to another
        profile with ``profile: NAME`` are skipped); *wrapper* are the entries a
        wrapper profile wrote for this one; *overrides* are ``--input-file``
        and ``--input`` values, already merged.
        """
        specs: dict[str, InputSpec] = {}
        for item in declared or []:
            spec = _spec(item, where)
            if item.get("profile") in (None, profile):
                specs[spec.name] = spec
        for item in wrapper or []:  # a wrapper's value wins; a wrapper can make an input sensitive
            spec = _spec(item, where)
            mine = specs.get(spec.name)
            if mine is not None:
                spec = InputSpec(name=spec.name, value=spec.value if spec.value is not _MISSING else mine.value,
                                 type=spec.type or mine.type, required=mine.required or spec.required,
                                 sensitive=mine.sensitive or spec.sensitive,
                                 description=spec.description or mine.description)
            specs[spec.name] = spec
        inputs = cls(specs=specs)
        for name, spec in specs.items():
            if spec.value is not _MISSING:
                inputs.values[name] = coerce(name, spec.value, spec.type)
        for name, value in (overrides or {}).items():
            known = specs.get(name)
            inputs.values[name] = coerce(name, value, known.type if known else None)
        return inputs

    def check_required(self) -> None:
        for name, spec in self.specs.items():
            if spec.required and name not in self.values:
                raise InputError(f"input '{name}' is required but has no value (set it with --input {name}=VALUE)")

    def get(self, name: str, default: Any = _MISSING) -> Any:
        if name in self.values:
            return self.values[name]
        if default is not _MISSING:
            return default
        raise InputError(f"input '{name}' has no value")

    def sensitive_values(self) -> list[str]:
        """The text of every sensitive value, longest first (for redaction)."""
        texts = [str(self.values[n]) for n, s in self.specs.items() if s.sensitive and n in self.values]
        return sorted((t for t in texts if t), key=len, reverse=True)

    def report(self) -> tuple[InputValue, ...]:
        """The inputs as reported, sensitive values redacted."""
        names = list(self.specs) + [n for n in self.values if n not in self.specs]
        out = []
        for name in names:
            spec = self.specs.get(name) or InputSpec(name)
            value = self.values.get(name)
            out.append(InputValue(
                name=name, value=REDACTED if spec.sensitive and value is not None else value,
                type=spec.type, required=spec.required, sensitive=spec.sensitive,
                description=spec.description,
            ))
        return tuple(out)


def _spec(item: Any, where: str) -> InputSpec:
    """One ``inputs:`` entry of inspec.yml as an InputSpec (its type checked)."""
    if not isinstance(item, dict) or "name" not in item:
        raise InputError(Where(where), f"every input needs a 'name' (got {item!r})")
    name = str(item["name"])
    return InputSpec(
        name=name, value=item.get("value", item.get("default", _MISSING)),
        type=type_name(item.get("type"), where, name), required=bool(item.get("required", False)),
        sensitive=bool(item.get("sensitive", False)), description=item.get("description"),
    )
