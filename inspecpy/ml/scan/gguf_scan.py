"""GGUF files (llama.cpp): the metadata is parsed, the chat template checked.

A GGUF file is tensors plus typed key/value metadata.  The one value that
runs as code is ``tokenizer.chat_template`` (and ``tokenizer.chat_template.*``):
a Jinja2 template that llama.cpp-based servers render for every request.
Templates that reach Python internals were the shape of the SSTI
advisories (llama-cpp-python CVE-2024-34359: ``self.__init__.__globals__``
…``__builtins__``), so a template is refused when it:

- reads an attribute or constant key outside the sandbox — a name starting
  with ``_``, ``mro``, ``format``/``format_map``, or the ``func_``/``gi_``/
  ``f_``/``co_``/``tb_``/``cr_``/``ag_`` families Jinja's sandbox blocks;
- uses the ``attr`` filter, or ``map``/``selectattr``/``rejectattr`` with
  such an attribute;
- names ``self`` (the template object) or a string constant holding ``__``;
- indexes with a key built at render time (``x['_' ~ '_class__']``).

The standard templates (ChatML, Llama, Mistral, Gemma, Qwen...) use none
of these and pass.

Example::

    >>> template_problems("{% for m in messages %}{{ m['role'] }}: {{ m.content }}{% endfor %}")
    []
    >>> template_problems("{{ self.__init__.__globals__ }}")
    ["reads attribute '__globals__'", "reads attribute '__init__'", "names 'self'"]
"""

from __future__ import annotations

import struct

from inspecpy.ml.scan.findings import Findings
from inspecpy.ml.reader import BoundedReader, ScanError

_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q",
            11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
_MAX_KV = 1 << 20
_MAX_STRING = 64 << 20
_BLOCKED_PREFIXES = ("_", "func_", "gi_", "f_", "co_", "tb_", "cr_", "ag_")
_BLOCKED = {"mro", "format", "format_map"}
_ATTR_FILTERS = {"map", "selectattr", "rejectattr", "sort", "groupby", "sum", "unique", "min", "max"}


def scan_gguf(reader: BoundedReader, findings: Findings, label: str) -> None:
    if reader.read(4) != b"GGUF":
        raise ScanError(f"{label}: not a GGUF file (bad magic)")
    version = struct.unpack("<I", reader.read(4))[0]
    if version not in (2, 3):
        raise ScanError(f"{label}: unsupported GGUF version {version}")
    n_tensors, n_kv = struct.unpack("<QQ", reader.read(16))
    if n_kv > _MAX_KV:
        raise ScanError(f"{label}: {n_kv} metadata entries (limit {_MAX_KV})")
    templates = 0
    for _ in range(n_kv):
        key = _string(reader, label)
        vtype = struct.unpack("<I", reader.read(4))[0]
        value = _value(reader, vtype, label, keep=key.startswith("tokenizer.chat_template"))
        if key == "tokenizer.chat_template" or key.startswith("tokenizer.chat_template."):
            if not isinstance(value, str):
                raise ScanError(f"{label}: {key} is not a string")
            templates += 1
            for p in template_problems(value):
                findings.problems.append(f"{key} {p} (Jinja template injection)")
    findings.notes.append(f"{label}: GGUF v{version}, {n_tensors} tensors, {n_kv} metadata keys"
                          + (f", {templates} chat template(s) checked" if templates else ""))


def _string(reader: BoundedReader, label: str, keep: bool = True):
    n = struct.unpack("<Q", reader.read(8))[0]
    if n > _MAX_STRING:
        raise ScanError(f"{label}: GGUF string of {n} bytes (limit {_MAX_STRING})")
    if not keep:
        reader.skip(n)
        return None
    try:
        return reader.read(n).decode("utf-8")
    except UnicodeDecodeError as e:
        raise ScanError(f"{label}: GGUF string is not UTF-8: {e}") from None


def _value(reader: BoundedReader, vtype: int, label: str, keep: bool):
    if vtype in _SCALARS:
        fmt = _SCALARS[vtype]
        return struct.unpack(fmt, reader.read(struct.calcsize(fmt)))[0]
    if vtype == _STRING:
        return _string(reader, label, keep)
    if vtype == _ARRAY:
        item, count = struct.unpack("<IQ", reader.read(12))
        if item in _SCALARS:
            reader.skip(count * struct.calcsize(_SCALARS[item]))
            return None
        if item == _STRING:
            for _ in range(count):
                _string(reader, label, keep=False)
            return None
        raise ScanError(f"{label}: GGUF array of type {item}")
    raise ScanError(f"{label}: unknown GGUF value type {vtype}")


def _blocked(name: str) -> bool:
    return name.startswith(_BLOCKED_PREFIXES) or name in _BLOCKED


def template_problems(source: str) -> list[str]:
    """Why a chat template may reach outside Jinja's sandbox (empty when it cannot)."""
    from jinja2 import Environment, nodes
    from jinja2.exceptions import TemplateSyntaxError

    env = Environment(extensions=["jinja2.ext.loopcontrols"])
    try:
        tree = env.parse(source)
    except TemplateSyntaxError as e:
        return [f"does not parse: {e}"]
    out: list[str] = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Name, nodes.Const, nodes.Filter,
                               nodes.Test)):
        if isinstance(node, nodes.Name) and node.name == "self":
            out.append("names 'self'")
        elif isinstance(node, nodes.Getattr) and _blocked(node.attr):
            out.append(f"reads attribute {node.attr!r}")
        elif isinstance(node, nodes.Getitem):
            key = node.arg
            if isinstance(key, nodes.Const) and isinstance(key.value, str) and _blocked(key.value):
                out.append(f"reads key {key.value!r}")
            elif _built_at_render_time(key):
                out.append("indexes with a key built at render time")
        elif isinstance(node, nodes.Const) and isinstance(node.value, str) and "__" in node.value:
            out.append(f"holds the string {node.value!r}")
        elif isinstance(node, nodes.Filter) and node.name == "attr":
            out.append("uses the 'attr' filter")
        elif isinstance(node, (nodes.Filter, nodes.Test)) and node.name in _ATTR_FILTERS:
            for kw in node.kwargs:
                if kw.key == "attribute" and isinstance(kw.value, nodes.Const) \
                        and isinstance(kw.value.value, str) \
                        and any(_blocked(p) for p in kw.value.value.split(".")):
                    out.append(f"reads attribute {kw.value.value!r} through '{node.name}'")
    for node in tree.find_all((nodes.Concat, nodes.Add)):
        if isinstance(node, nodes.Concat):
            parts = node.nodes
        else:
            assert isinstance(node, nodes.Add)  # find_all yields only the two types asked for
            parts = [node.left, node.right]
        if any(isinstance(p, nodes.Const) and isinstance(p.value, str)
               and (p.value.startswith("_") or p.value.endswith("_")) for p in parts):
            out.append("builds a name with underscores")
    return list(dict.fromkeys(out))


def _built_at_render_time(key) -> bool:
    from jinja2 import nodes

    for n in (key, *key.find_all((nodes.Concat, nodes.Add, nodes.Filter, nodes.Call))):
        if isinstance(n, (nodes.Concat, nodes.Filter, nodes.Call)):
            return True
        if isinstance(n, nodes.Add) and any(isinstance(s, nodes.Const) and isinstance(s.value, str)
                                            for s in (n.left, n.right)):
            return True
    return False
