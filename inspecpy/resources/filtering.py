"""One filter mechanism for every plural resource (InSpec's FilterTable).

A plural resource is a table: :meth:`FilterTable.load_rows` returns one
mapping per row (a user, a listening socket, a mount line), and columns are
declared once with :class:`Column`. ``where`` returns the same resource
narrowed to the rows that match, so columns, ``entries``, ``exists`` and
``count`` read the selection::

    users().where(lambda u: u.uid == 0).usernames            # ['root']
    users().where(shell=re.compile("nologin$")).count        # 21
    processes("sshd").where(user="root").pids                # [812]
    passwd().where(uid=0, user="root").exists                # True

A custom plural resource is a subclass with columns::

    class Routes(FilterTable):
        '''Python: ``describe(routes().where(dev="eth0")).should.exist()``
        YAML:   ``- routes: null``'''
        name = "routes"
        destinations = Column("destination")
        devices = Column("dev", simple=True)

        def load_rows(self):
            return [{"destination": d, "dev": v} for d, v in ...]
"""

from __future__ import annotations

import copy
import inspect
import re
from typing import Any, Callable, Iterable, TypeVar

from inspecpy.resources.base import Resource, probe
from inspecpy.resources.reading import read_required

_Table = TypeVar("_Table", bound="FilterTable")


class Row(dict):
    """One row: a dict whose keys also read as attributes (``row.uid``, ``row["uid"]``)."""

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(f"row has no field {key!r} (fields: {', '.join(self)})") from None


class Column(property):
    """A column: the values of *field* over the selected rows.

    ``simple=True`` (InSpec's ``style: :simple``) flattens list values,
    drops ``None`` and repeats, e.g. every member of the selected groups.
    """

    def __init__(self, field: str, doc: str = "", simple: bool = False):
        self.field = field
        self.simple = simple
        super().__init__(lambda table: table.column(field, simple), doc=doc or f"The {field} of each row.")


def _matches(value: Any, wanted: Any) -> bool:
    """Criterion test: a regex searches, a callable decides, else equality (``"0"`` equals ``0``)."""
    if isinstance(wanted, re.Pattern):
        return value is not None and wanted.search(str(value)) is not None
    if callable(wanted):
        return bool(wanted(value))
    if value == wanted:
        return True
    if isinstance(value, int) and not isinstance(value, bool) and isinstance(wanted, str):
        return wanted.strip().lstrip("-").isdigit() and value == int(wanted)
    if isinstance(wanted, int) and not isinstance(wanted, bool) and isinstance(value, str):
        return value.strip().lstrip("-").isdigit() and int(value) == wanted
    return False


def _condition_text(condition: Callable) -> str:
    """``u.uid == 0`` for ``lambda u: u.uid == 0`` (for ``code_desc``); a named function by its name."""
    name = getattr(condition, "__name__", "condition")
    if name != "<lambda>":
        return name  # reading the source (~1 ms) is only needed for a lambda
    try:
        source = inspect.getsource(condition)
    except (OSError, TypeError):
        return getattr(condition, "__name__", "condition")
    found = re.search(r"lambda\s*\w*\s*:\s*(.*)", source, re.S)
    if not found:
        return getattr(condition, "__name__", "condition")
    text, depth = found.group(1), 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                return text[:i].strip()
            depth -= 1
        elif ch in ",\n" and depth == 0:
            return text[:i].strip()
    return text.strip()


class FilterTable(Resource):
    """Base of plural resources: rows, ``where``, columns, ``exists``, ``count``."""

    _filters: tuple[str, ...] = ()
    _predicates: tuple[Callable[[Row], bool], ...] = ()

    def load_rows(self) -> Iterable[dict]:
        """The rows, one mapping each (override: probe the target and parse)."""
        raise NotImplementedError

    @probe
    def _rows(self) -> list[Row]:
        return [r if isinstance(r, Row) else Row(r) for r in self.load_rows()]

    @property
    def entries(self) -> list[Row]:
        """The selected rows; each reads as a dict or by attribute (``where`` copies share the probed rows)."""
        return [row for row in self._rows if all(test(row) for test in self._predicates)]

    @property
    def raw_data(self) -> list[Row]:
        """InSpec's name for :attr:`entries`."""
        return self.entries

    @property
    def exists(self) -> bool:
        """True when at least one row is selected."""
        return bool(self.entries)

    @property
    def count(self) -> int:
        return len(self.entries)

    def column(self, field: str, simple: bool = False) -> list:
        """The values of *field* in the selected rows (see :class:`Column`)."""
        values = [row.get(field) for row in self.entries]
        if not simple:
            return values
        flat: list = []
        for value in values:
            for item in value if isinstance(value, (list, tuple)) else [value]:
                if item is not None and item not in flat:
                    flat.append(item)
        return flat

    def where(self: _Table, condition: Callable[[Row], Any] | None = None, **criteria: Any) -> _Table:
        """The rows for which *condition(row)* is true and every ``field=value`` matches.

        A value may be a plain value (``uid=0``; ``"0"`` also matches 0), a
        compiled regex (``shell=re.compile("nologin")``) or a callable
        (``uid=lambda u: u >= 1000``). Nothing is probed until a column,
        ``entries``, ``exists`` or ``count`` is read.
        """
        def test(row: Row) -> bool:
            for field, wanted in criteria.items():
                if field not in row:
                    raise KeyError(f"{self.name}: no field {field!r} to filter on (fields: {', '.join(row)})")
                if not _matches(row[field], wanted):
                    return False
            return condition is None or bool(condition(row))

        narrowed = copy.copy(self)
        narrowed._predicates = self._predicates + (test,)
        text = [f"{k} == {v.pattern if isinstance(v, re.Pattern) else v!r}" for k, v in criteria.items()]
        if condition is not None:
            text.append(_condition_text(condition))
        narrowed._filters = self._filters + tuple(text)
        return narrowed

    def label(self) -> str:
        """How the whole table names itself in ``code_desc`` (before any ``with …``)."""
        return super().__str__()

    def __str__(self) -> str:
        text = self.label()
        return f"{text} with {' and '.join(self._filters)}" if self._filters else text

    def __iter__(self):
        return iter(self.entries)


class FileTable(FilterTable):
    """A table parsed from one file of the target (``/etc/passwd``, ``/etc/hosts``...).

    Subclasses set ``default_path`` and ``parse`` (text to rows)::

        class EtcHosts(FileTable):
            name = "etc_hosts"
            default_path = "/etc/hosts"
            parse = staticmethod(parse_hosts)
    """

    default_path: str = ""
    parse: Callable[[str], list[dict]]

    def __init__(self, path: str | None = None):
        super().__init__()
        self.path = path or self.default_path

    @property
    def resource_id(self) -> str:
        return self.path

    def load_rows(self) -> list[dict]:
        """The file's rows; a missing file is a failed result that names it."""
        return self.parse(read_required(self.target, self.path))
