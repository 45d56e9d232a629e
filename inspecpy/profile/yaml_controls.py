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

from typing import TYPE_CHECKING, Any, Callable

import yaml

from inspecpy.yaml_errors import yaml_problem
import inspecpy.dsl.matchers as matchers
from inspecpy.dsl.controls import Control, impact_value, normalise_tags
from inspecpy.dsl.loading import input as input_value
from inspecpy.dsl.expect import Describe
from inspecpy.dsl.recording import Recorder, recording_into
from inspecpy.errors import Problem, ProfileError, UsageError, Where
from inspecpy.plugins import registry
from inspecpy.names import did_you_mean

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.resources.base import Resource
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
    """Replace ``{profile_file: NAME}`` with NAME in the profile's ``files/`` (read from the profile)."""
    if isinstance(value, dict):
        if set(value) == {"profile_file"}:
            import os

            from inspecpy.targets.profile_files import ProfileFile

            controls_dir = os.path.dirname(os.path.abspath(yaml_path))
            return ProfileFile(os.path.dirname(controls_dir), os.path.join("files", str(value["profile_file"])))
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


def load_yaml_controls(path: str, text: str, resources: dict[str, type[Resource]], group: str,
                       problems: list[Problem] | None = None) -> list[Control]:
    """Parse a YAML control file into controls; errors name the file and line.

    The first malformed entry raises, unless *problems* is given (``check``):
    then each malformed entry's error is appended there and the others load.
    YAML that does not parse, or is not a list, raises either way::

        problems = []
        load_yaml_controls("/p/controls/a.yml", text, resources, "controls/a.yml", problems)
        [str(p) for p in problems]   # ["/p/controls/a.yml:1: control has no 'id'", …]
    """
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        problem = yaml_problem(path, error)
        raise YamlControlError(problem.where, f"invalid YAML: {problem.message}") from None
    if data is None:
        return []
    if isinstance(data, dict) and "controls" in data:
        data = data["controls"]
    if not isinstance(data, list):
        raise YamlControlError(Where(path, 1), "a YAML control file must be a list of controls")
    controls = []
    for index, item in enumerate(data):
        try:
            if isinstance(item, dict) and ("include_controls" in item or "require_controls" in item):
                yaml_inclusion(Where(path, item.get("__line__")), _strip(item))  # controls of a dependency
            else:
                controls.append(_control(path, item, resources, group, _line(data, index)))
        except ProfileError as error:
            if problems is None:
                raise
            problems.append(error.problem)
    return controls


def _control(path: str, item: Any, resources: dict[str, type[Resource]], group: str, line: int) -> Control:
    where = Where(path, line)
    if not isinstance(item, dict):
        raise YamlControlError(where, f"each control must be a mapping, got {item!r}")
    if "id" not in item:
        raise YamlControlError(where, "control has no 'id'")
    unknown = set(item) - _CONTROL_KEYS - {"__line__"}
    if unknown:
        raise YamlControlError(where, f"control {item['id']!r}: unknown key(s) {', '.join(sorted(unknown))}")
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


def _condition(path: str, spec: Any, resources: dict[str, type[Resource]], line: int):
    """``only_if:`` as a describe entry; the control runs when all of its checks pass.

    ``only_if: {file: /usr/sbin/sshd, should: [exist]}``
    """
    if spec is None:
        return None, None
    check = _check(path, spec, resources, spec.get("__line__", line) if isinstance(spec, dict) else line)

    def holds() -> bool:
        with recording_into(Recorder()) as recorder:
            check()
        return all(r.status == "passed" for r in recorder.results)

    return holds, yaml.safe_dump(_strip(spec), default_flow_style=True, width=1000).strip()


def _check(path: str, item: Any, resources: dict[str, type[Resource]], line: int) -> Callable[[], None]:
    """Validate one ``describe`` entry (at *line*) now; return the function that runs it later."""
    where = Where(path, line)
    if not isinstance(item, dict):
        raise YamlControlError(where, f"a describe entry must be a mapping, got {item!r}")
    subject_keys = [k for k in item if k not in _CHECK_KEYS and k != "__line__"]
    if len(subject_keys) != 1:
        raise YamlControlError(where, f"a describe entry needs exactly one resource (or 'value'), got {subject_keys}")
    key = subject_keys[0]
    if key != "value":
        try:
            registry().resource(key, resources)
        except UsageError as error:
            raise YamlControlError(where, str(error)) from None
    argument = _profile_files(_strip(item[key]), path)
    expectations = _expectations(where, item)

    def run() -> None:
        arg = _resolve(argument)
        if key == "value":
            subject = arg
        elif arg is None:
            subject = resources[key]()
        else:
            build: Callable[..., Resource] = resources[key]  # each resource class takes its own arguments
            if isinstance(arg, list):
                subject = build(*arg)
            elif isinstance(arg, dict):
                subject = build(**arg)
            else:
                subject = build(arg)
        for attr, negate, name, args, options in expectations:
            describe = Describe(subject)
            if attr:
                describe = describe.its(attr)
            expectation = describe.should_not if negate else describe.should
            expectation.apply_matcher(name, *_resolve(args), **_resolve(options))

    return run


Expected = tuple[str | None, bool, str, list, dict]  # its path, negated, matcher, args, keyword args


def _expectations(where: Where, item: dict) -> list[Expected]:
    out: list[Expected] = []
    for negate, key in ((False, "should"), (True, "should_not")):
        for name, args, options in _matcher_list(where, item.get(key)):
            out.append((None, negate, name, args, options))
    its = item.get("its") or {}
    if not isinstance(its, dict):
        raise YamlControlError(where, "'its' must map attribute names to matchers")
    for attr, spec in _strip(its).items():
        if isinstance(spec, dict) and set(spec) <= {"should", "should_not"}:
            for negate, key in ((False, "should"), (True, "should_not")):
                for name, args, options in _matcher_list(where, spec.get(key)):
                    out.append((str(attr), negate, name, args, options))
        else:
            for name, args, options in _matcher_list(where, spec):
                out.append((str(attr), False, name, args, options))
    return out


def _matcher_list(where: Where, spec: Any) -> list[tuple[str, list, dict]]:
    """``[exist, {cmp: x}]`` or ``{cmp: x, match: y}`` or ``exist`` → (name, args, keyword args).

    A mapping given to a predicate matcher holds keyword arguments:
    ``{be_signed_by: {public_key: k.pub, signature: m.sig}}``.
    """
    if spec is None:
        return []
    items = spec if isinstance(spec, list) else [spec]
    pairs: list[tuple[str, list, dict]] = []
    for entry in items:
        if isinstance(entry, str):
            pairs.append((_known(where, entry), [], {}))
        elif isinstance(entry, dict):
            for name, arg in _strip(entry).items():
                matcher = matchers.lookup(_known(where, name))
                if matcher.attribute is not None and isinstance(arg, dict) and set(arg) != {"input"}:
                    pairs.append((name, [], dict(arg)))
                    continue
                args = list(arg) if matcher.arity == 2 and isinstance(arg, list) else [arg]
                pairs.append((name, [] if arg is None and matcher.arity == 0 else args, {}))
        else:
            raise YamlControlError(where, f"a matcher must be a name or a mapping, got {entry!r}")
    return pairs


def _known(where: Where, name: str) -> str:
    try:
        matchers.lookup(str(name))
    except KeyError:
        raise YamlControlError(where, f"unknown matcher {name!r}" + did_you_mean(str(name), matchers.MATCHERS)) from None
    return str(name)
