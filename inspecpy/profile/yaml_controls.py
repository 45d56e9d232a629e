"""YAML controls: the same resources and matchers as the Python DSL, written as data.

Example (``controls/password.yml``)::

    - id: check_secure_password_policy
      impact: 0.5
      title: Secure Password Policy Check
      tags: [password]
      describe:
        - file: /etc/login.defs
          should: [exist, be_file]
          its:
            content:
              - match: 'PASS_MAX_DAYS\\s+(\\d+)'
        - command: uname -r
          its:
            stdout: {cmp: {input: os_version}}

A resource argument is a scalar (one argument), a list (positional) or a
mapping (keyword arguments); ``{input: NAME}`` stands for an input's value.
A dependency's controls are pulled in with ``- include_controls: NAME`` (see
:mod:`inspecpy.profile.dependencies`).
"""

from __future__ import annotations

from typing import Any, Callable

import yaml

from inspecpy.profile.yaml_errors import yaml_problem
from inspecpy.dsl import matchers
from inspecpy.dsl.controls import Control, impact_value, normalise_tags
from inspecpy.dsl.loading import input as input_value
from inspecpy.dsl.expect import Describe
from inspecpy.errors import ProfileError
from inspecpy.names import did_you_mean
from inspecpy.profile.dependencies import yaml_inclusion
from inspecpy.results import SourceLocation

_CONTROL_KEYS = {"id", "title", "desc", "impact", "tags", "refs", "describe", "descriptions", "only_if"}
_CHECK_KEYS = {"should", "should_not", "its"}


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping as ``__line__``, and of every
    sequence item in the list's ``lines`` (a scalar item has no other place to keep it)."""


class _Lines(list):
    """A YAML sequence with the line of each item: ``lines[i]``."""

    lines: list[int]


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _Lines:
    sequence = _Lines(loader.construct_sequence(node, deep=True))
    sequence.lines = [item.start_mark.line + 1 for item in node.value]
    return sequence


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _line(sequence: Any, index: int) -> int:
    """The line of item *index* of a loaded sequence (0 when unknown)."""
    lines = getattr(sequence, "lines", ())
    return lines[index] if index < len(lines) else 0


def _strip(value: Any) -> Any:
    """The value without our ``__line__`` bookkeeping keys."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _profile_files(value: Any, yaml_path: str) -> Any:
    """Replace ``{profile_file: NAME}`` with the path of NAME in the profile's ``files/``."""
    if isinstance(value, dict):
        if set(value) == {"profile_file"}:
            import os

            controls_dir = os.path.dirname(os.path.abspath(yaml_path))
            return os.path.join(os.path.dirname(controls_dir), "files", str(value["profile_file"]))
        return {k: _profile_files(v, yaml_path) for k, v in value.items()}
    if isinstance(value, list):
        return [_profile_files(v, yaml_path) for v in value]
    return value


def _resolve(value: Any) -> Any:
    """Replace ``{input: NAME}`` with the input's value (at run time)."""
    if isinstance(value, dict):
        if set(value) == {"input"}:
            return input_value(str(value["input"]))
        return {k: _resolve(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v) for v in value]
    return value


class YamlControlError(ProfileError):
    pass


def load_yaml_controls(path: str, text: str, resources: dict[str, type], group: str,
                       problems: list[str] | None = None) -> list[Control]:
    """Parse a YAML control file into controls; errors name the file and line.

    The first malformed entry raises, unless *problems* is given (``check``):
    then each malformed entry's error is appended there and the others load.
    YAML that does not parse, or is not a list, raises either way::

        problems = []
        load_yaml_controls("/p/controls/a.yml", text, resources, "controls/a.yml", problems)
        problems   # ["/p/controls/a.yml:1: control has no 'id'", "/p/controls/a.yml:9: unknown resource 'fiel' …"]
    """
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        where, _, problem = yaml_problem(path, error).partition(": ")
        raise YamlControlError(f"{where}: invalid YAML: {problem}") from None
    if data is None:
        return []
    if isinstance(data, dict) and "controls" in data:
        data = data["controls"]
    if not isinstance(data, list):
        raise YamlControlError(f"{path}:1: a YAML control file must be a list of controls")
    controls = []
    for index, item in enumerate(data):
        try:
            if isinstance(item, dict) and ("include_controls" in item or "require_controls" in item):
                yaml_inclusion(f"{path}:{item.get('__line__', 0)}: ", _strip(item))  # controls of a dependency
            else:
                controls.append(_control(path, item, resources, group, _line(data, index)))
        except ProfileError as error:
            if problems is None:
                raise
            problems.append(str(error))
    return controls


def _control(path: str, item: Any, resources: dict[str, type], group: str, line: int) -> Control:
    where = f"{path}:{line}: "
    if not isinstance(item, dict):
        raise YamlControlError(f"{where}each control must be a mapping, got {item!r}")
    if "id" not in item:
        raise YamlControlError(f"{where}control has no 'id'")
    unknown = set(item) - _CONTROL_KEYS - {"__line__"}
    if unknown:
        raise YamlControlError(f"{where}control {item['id']!r}: unknown key(s) {', '.join(sorted(unknown))}")
    describe = item.get("describe") or []
    checks = [_check(path, d, resources, _line(describe, i)) for i, d in enumerate(describe)]
    only_if, only_if_message = _condition(path, item.get("only_if"), resources, line)

    def body() -> None:
        for check in checks:
            check()

    data = _strip(item)
    return Control(
        id=str(data["id"]), body=body, title=data.get("title"), desc=data.get("desc"),
        impact=impact_value(data.get("impact", 0.5), where), tags=normalise_tags(data.get("tags")),
        refs=tuple(data.get("refs") or ()), descriptions=tuple((data.get("descriptions") or {}).items()),
        only_if=only_if, only_if_message=only_if_message,
        source_location=SourceLocation(path, line), group=group,
        code=yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
    )


def _condition(path: str, spec: Any, resources: dict[str, type], line: int):
    """``only_if:`` as a describe entry; the control runs when all of its checks pass.

    ``only_if: {file: /usr/sbin/sshd, should: [exist]}``
    """
    if spec is None:
        return None, None
    check = _check(path, spec, resources, spec.get("__line__", line) if isinstance(spec, dict) else line)

    def holds() -> bool:
        from inspecpy.dsl.recording import Recorder, recording

        with recording(Recorder()) as recorder:
            check()
        return all(r.status == "passed" for r in recorder.results)

    return holds, yaml.safe_dump(_strip(spec), default_flow_style=True, width=1000).strip()


def _check(path: str, item: Any, resources: dict[str, type], line: int) -> Callable[[], None]:
    """Validate one ``describe`` entry (at *line*) now; return the function that runs it later."""
    where = f"{path}:{line}: "
    if not isinstance(item, dict):
        raise YamlControlError(f"{where}a describe entry must be a mapping, got {item!r}")
    subject_keys = [k for k in item if k not in _CHECK_KEYS and k != "__line__"]
    if len(subject_keys) != 1:
        raise YamlControlError(f"{where}a describe entry needs exactly one resource (or 'value'), got {subject_keys}")
    key = subject_keys[0]
    if key != "value" and key not in resources:
        raise YamlControlError(f"{where}unknown resource {key!r}" + did_you_mean(key, resources))
    argument = _profile_files(_strip(item[key]), path)
    expectations = _expectations(where, item)

    def run() -> None:
        arg = _resolve(argument)
        if key == "value":
            subject = arg
        elif arg is None:
            subject = resources[key]()
        elif isinstance(arg, list):
            subject = resources[key](*arg)
        elif isinstance(arg, dict):
            subject = resources[key](**arg)
        else:
            subject = resources[key](arg)
        for attr, negate, name, args in expectations:
            describe = Describe(subject)
            if attr:
                describe = describe.its(attr)
            expectation = describe.should_not if negate else describe.should
            expectation.check(name, *_resolve(args))

    return run


def _expectations(where: str, item: dict) -> list[tuple[str | None, bool, str, list]]:
    out: list[tuple[str | None, bool, str, list]] = []
    for negate, key in ((False, "should"), (True, "should_not")):
        for name, args in _matcher_list(where, item.get(key)):
            out.append((None, negate, name, args))
    its = item.get("its") or {}
    if not isinstance(its, dict):
        raise YamlControlError(f"{where}'its' must map attribute names to matchers")
    for attr, spec in _strip(its).items():
        if isinstance(spec, dict) and set(spec) <= {"should", "should_not"}:
            for negate, key in ((False, "should"), (True, "should_not")):
                for name, args in _matcher_list(where, spec.get(key)):
                    out.append((str(attr), negate, name, args))
        else:
            for name, args in _matcher_list(where, spec):
                out.append((str(attr), False, name, args))
    return out


def _matcher_list(where: str, spec: Any) -> list[tuple[str, list]]:
    """``[exist, {cmp: x}]`` or ``{cmp: x, match: y}`` or ``exist`` → (name, args) pairs."""
    if spec is None:
        return []
    items = spec if isinstance(spec, list) else [spec]
    pairs: list[tuple[str, list]] = []
    for entry in items:
        if isinstance(entry, str):
            pairs.append((_known(where, entry), []))
        elif isinstance(entry, dict):
            for name, arg in _strip(entry).items():
                matcher = matchers.lookup(_known(where, name))
                args = list(arg) if matcher.arity == 2 and isinstance(arg, list) else [arg]
                pairs.append((name, [] if arg is None and matcher.arity == 0 else args))
        else:
            raise YamlControlError(f"{where}a matcher must be a name or a mapping, got {entry!r}")
    return pairs


def _known(where: str, name: str) -> str:
    try:
        matchers.lookup(str(name))
    except KeyError:
        raise YamlControlError(f"{where}unknown matcher {name!r}" + did_you_mean(str(name), matchers.MATCHERS)) from None
    return str(name)
