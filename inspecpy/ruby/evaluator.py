"""The Ruby evaluator: walks the syntax tree of :mod:`inspecpy.ruby.syntax` with Ruby's semantics.

It knows the language (literals, variables, conditions, loops, blocks,
methods, classes, exceptions); what names mean — resources, the InSpec DSL,
``input`` — comes from the *host* (:class:`inspecpy.ruby.host.Host`), and
method calls on values from :mod:`inspecpy.ruby.dispatch`. A node type it
does not evaluate raises :class:`~inspecpy.ruby.runtime.RubyUnsupported`
naming the construct, file and line. :data:`EVALUATED` lists the node types
evaluated, so ``check`` can list the others before anything runs.
"""

from __future__ import annotations

import threading
from typing import Any

from inspecpy.ruby import literals
from inspecpy.ruby.dispatch import Call, send
from inspecpy.ruby.runtime import (BreakSignal, CONTROL_FLOW, Frame, NextSignal, Proc, ReturnSignal, RubyClass,
                                   Poison, RubyMethod, RubyObject, RubyUnsupported, Scope)
from inspecpy.ruby.syntax import Node, constant_path
from inspecpy.ruby.values import MatchData, RubyError, RubyRange, Symbol, is_kind_of, truthy

#: Statement lists: their kids run in order.
_BODIES = {"program", "body_statement", "block_body", "then", "else", "do", "parenthesized_statements",
           "begin_block_body", "ensure"}
_SKIPPED = {"comment", "empty_statement", "uninterpreted"}
#: Friendly names for constructs that are not evaluated.
UNSUPPORTED_NAMES = {
    "subshell": "backtick command", "class_variable": "class variable", "singleton_class": "`class << self`",
    "alias": "`alias`", "undef": "`undef`", "retry": "`retry`", "redo": "`redo`", "begin_block": "`BEGIN` block",
    "end_block": "`END` block", "case_match": "`case ... in` pattern matching", "rational": "rational literal",
    "complex": "complex literal", "match_pattern": "pattern matching (`=>`)", "test_pattern": "pattern matching (`in`)",
    "forward_argument": "argument forwarding (`...`)",
}


class Evaluator:
    """Evaluates nodes for one profile; *host* resolves names the language does not define."""

    def __init__(self, host: Any):
        self.host = host
        self._local = threading.local()
        self._handlers = {name[6:]: getattr(self, name) for name in dir(self) if name.startswith("_eval_")}

    # ---------------------------------------------------------------- plumbing

    @property
    def last_match(self) -> MatchData | None:
        return getattr(self._local, "last_match", None)

    @last_match.setter
    def last_match(self, value: MatchData | None) -> None:
        self._local.last_match = value

    def is_a(self, value: Any, klass: Any) -> bool:
        from inspecpy.ruby.builtins import is_a

        return is_a(value, klass)

    def responds_to(self, value: Any, name: str) -> bool:
        from inspecpy.ruby import corelib
        from inspecpy.ruby.interop import python_names

        dispatch = getattr(value, "ruby_dispatch", None)
        if dispatch is not None and dispatch(name) is not None:
            return True
        if isinstance(value, RubyObject):
            return value.ruby_class.find_method(name) is not None or value.ruby_class.has_reader(name)
        if corelib.find(value, name) is not None:
            return True
        return any(hasattr(value, n) for n in python_names(name)) if not isinstance(value, (str, list, dict)) \
            else False

    def unsupported(self, what: str, node: Node, frame: Frame) -> RubyUnsupported:
        return RubyUnsupported(what, frame.file.path, node.line)

    def eval(self, node: Node, frame: Frame) -> Any:
        handler = self._handlers.get(node.type)
        if handler is not None:
            try:
                return handler(node, frame)
            except CONTROL_FLOW:
                raise
            except Exception as error:  # remember the innermost place, for the message
                if not hasattr(error, "ruby_where"):
                    try:
                        error.ruby_where = f"{frame.file.path}:{node.line}"  # type: ignore[attr-defined]
                    except AttributeError:
                        pass
                raise
        if node.type in _BODIES:
            return self.run_body_kids(node.kids, frame)
        if node.type in _SKIPPED:
            return None
        raise self.unsupported(UNSUPPORTED_NAMES.get(node.type, f"`{node.type}`"), node, frame)

    def run_body(self, body: Node | None, frame: Frame) -> Any:
        if body is None:
            return None
        if body.type in _BODIES:
            if body.type != "program" and any(k.type in ("rescue", "ensure") for k in body.kids):
                return self._eval_begin(body, frame)
            return self.run_body_kids(body.kids, frame)
        return self.eval(body, frame)

    def run_body_kids(self, kids: list[Node], frame: Frame) -> Any:
        value = None
        for kid in kids:
            if kid.type in _SKIPPED:
                continue
            value = self.eval(kid, frame)
        return value

    def send(self, receiver: Any, name: str, args: list | None = None, block: Any = None,
             kwargs: dict | None = None, node: Node | None = None, frame: Frame | None = None) -> Any:
        return send(self, Call(name, list(args or []), kwargs or {}, block, node, frame), receiver)

    # ---------------------------------------------------------------- literals

    def _eval_integer(self, node, frame):
        return literals.integer_value(node.text)

    def _eval_float(self, node, frame):
        return float(node.text.replace("_", ""))

    def _eval_nil(self, node, frame):
        return None

    def _eval_true(self, node, frame):
        return True

    def _eval_false(self, node, frame):
        return False

    def _eval_self(self, node, frame):
        return frame.self_obj

    def _eval_string(self, node, frame):
        return literals.string_value(self, node, frame)

    def _eval_chained_string(self, node, frame):
        return "".join(literals.string_value(self, kid, frame) for kid in node.kids)

    def _eval_heredoc(self, node, frame):
        return literals.heredoc_value(self, node, frame)

    def _eval_character(self, node, frame):
        return literals.unescape_double(node.text[1:]) if node.text.startswith("?\\") else node.text[1:]

    def _eval_simple_symbol(self, node, frame):
        return literals.symbol_value(self, node, frame)

    _eval_delimited_symbol = _eval_simple_symbol
    _eval_hash_key_symbol = _eval_simple_symbol

    def _eval_regex(self, node, frame):
        return literals.regex_value(self, node, frame)

    def _eval_string_array(self, node, frame):
        return literals.word_array(self, node, frame)

    _eval_symbol_array = _eval_string_array

    def _eval_array(self, node, frame):
        out: list = []
        for kid in node.kids:
            if kid.type == "splat_argument":
                out.extend(self.splat(self.eval(kid.kids[0], frame)))
            elif kid.type == "pair":
                out.append(self._hash_of([kid], frame))
            elif kid.type not in _SKIPPED:
                out.append(self.eval(kid, frame))
        return out

    def _eval_hash(self, node, frame):
        return self._hash_of(node.kids, frame)

    def _hash_of(self, kids: list[Node], frame: Frame) -> dict:
        out: dict = {}
        for kid in kids:
            if kid.type == "pair":
                out[self.pair_key(kid, frame)] = self.eval(kid.field("value") or kid.kids[-1], frame)
            elif kid.type == "hash_splat_argument":
                out.update(self.eval(kid.kids[0], frame) or {})
            elif kid.type not in _SKIPPED:
                raise self.unsupported(f"`{kid.type}` in a hash", kid, frame)
        return out

    def pair_key(self, pair: Node, frame: Frame) -> Any:
        key = pair.field("key") or pair.kids[0]
        value = self.eval(key, frame)
        if ":" in pair.toks and isinstance(value, str) and not isinstance(value, Symbol):
            return Symbol(value)  # { "a": 1 } has the symbol :a
        return value

    def _eval_range(self, node, frame):
        first = node.field("begin")
        last = node.field("end")
        return RubyRange(self.eval(first, frame) if first else None, self.eval(last, frame) if last else None,
                         node.field("operator") == "...")

    def _eval_lambda(self, node, frame):
        body = node.field("body")
        params = node.field("parameters")
        inner = body.field("body") if body is not None and body.type in ("block", "do_block") else body
        inner_params = body.field("parameters") if body is not None and body.type in ("block", "do_block") else None
        return Proc(self, params or inner_params, inner, frame, is_lambda=True, node=node)

    def make_proc(self, block: Node, frame: Frame) -> Proc:
        return Proc(self, block.field("parameters"), block.field("body"), frame, node=block)

    # ---------------------------------------------------------------- variables

    def _eval_identifier(self, node, frame):
        name = node.text
        owner = frame.scope.find(name)
        if owner is not None:
            value = owner.vars[name]
            if type(value) is Poison:
                raise value.error
            return value
        return self.call_function(Call(name, [], {}, None, node, frame))

    def _eval_constant(self, node, frame):
        return self.constant(node.text, node, frame)

    def constant(self, name: str, node: Node | None = None, frame: Frame | None = None) -> Any:
        owner = frame.owner if frame is not None else None
        while owner is not None:
            if name in owner.constants:
                return owner.constants[name]
            owner = owner.superclass
        return self.host.constant(name, node, frame)

    def _eval_scope_resolution(self, node, frame):
        scope = node.field("scope")
        name = node.field("name").text
        if scope is None:
            return self.constant(name, node, frame)
        path = constant_path(node)
        if path is not None and self.host.has_constant(path):
            return self.host.constant(path, node, frame)
        outer = self.eval(scope, frame)
        if isinstance(outer, RubyClass):
            if name in outer.constants:
                return outer.constants[name]
            method = outer.find_class_method(name)
            if method is not None:
                return self.invoke(method, outer, [], {}, None, outer)
        raise RubyError("NameError", f"uninitialized constant {path or name}")

    def _eval_instance_variable(self, node, frame):
        return self.ivars(frame.self_obj, node, frame).get(node.text)

    def ivars(self, self_obj: Any, node: Node, frame: Frame) -> dict:
        found = getattr(self_obj, "ivars", None)
        if isinstance(found, dict):
            return found
        raise self.unsupported(f"instance variable {node.text} here", node, frame)

    def _eval_global_variable(self, node, frame):
        name = node.text
        match = self.last_match
        if name == "$~":
            return match
        if name[1:].isdigit():
            return match[int(name[1:])] if match else None
        raise self.unsupported(f"global variable {name}", node, frame)

    # ---------------------------------------------------------------- assignment

    def _eval_assignment(self, node, frame):
        left, right = node.field("left"), node.field("right")
        if left.type == "left_assignment_list":
            values = self.eval(right, frame)
            if right.type != "right_assignment_list" and not isinstance(values, list):
                values = [values]
            self.destructure(left, values, frame)
            return values
        value = self.eval(right, frame)
        self.assign(left, value, frame)
        return value

    def _eval_right_assignment_list(self, node, frame):
        return self._eval_array(node, frame)

    def destructure(self, targets: Node, values: list, frame: Frame) -> None:
        kids = [k for k in targets.kids if k.type not in _SKIPPED]
        for index, target in enumerate(kids):
            if target.type == "rest_assignment":
                rest = len(kids) - index - 1
                self.assign(target.kids[0], values[index:len(values) - rest], frame)
                for offset, later in enumerate(kids[index + 1:]):
                    position = len(values) - rest + offset
                    self.assign(later, values[position] if 0 <= position < len(values) else None, frame)
                return
            if target.type in ("destructured_left_assignment", "left_assignment_list"):
                value = values[index] if index < len(values) else None
                self.destructure(target, value if isinstance(value, list) else [value], frame)
                continue
            self.assign(target, values[index] if index < len(values) else None, frame)

    def assign(self, target: Node, value: Any, frame: Frame) -> None:
        kind = target.type
        if kind == "identifier":
            frame.scope.set(target.text, value)
        elif kind == "instance_variable":
            self.ivars(frame.self_obj, target, frame)[target.text] = value
        elif kind == "constant":
            if frame.owner is not None:
                frame.owner.constants[target.text] = value
            else:
                self.host.set_constant(target.text, value)
        elif kind == "element_reference":
            receiver = self.eval(target.field("object") or target.kids[0], frame)
            indices = [self.eval(k, frame) for k in target.kids[1:] if k.type not in _SKIPPED]
            self.send(receiver, "[]=", indices + [value], node=target, frame=frame)
        elif kind == "call":
            receiver = self.eval(target.field("receiver"), frame)
            self.send(receiver, target.field("method").text + "=", [value], node=target, frame=frame)
        else:
            raise self.unsupported(f"assignment to `{kind}`", target, frame)

    def _eval_operator_assignment(self, node, frame):
        left, op = node.field("left"), node.field("operator")[:-1]
        current = self.eval_quiet(left, frame)
        if op == "||":
            if truthy(current):
                return current
            value = self.eval(node.field("right"), frame)
        elif op == "&&":
            if not truthy(current):
                return current
            value = self.eval(node.field("right"), frame)
        else:
            value = self.send(current, op, [self.eval(node.field("right"), frame)], node=node, frame=frame)
        self.assign(left, value, frame)
        return value

    def eval_quiet(self, node: Node, frame: Frame) -> Any:
        """The value of an assignment target, ``nil`` for a local not yet set (``x ||= 1``)."""
        if node.type == "identifier" and frame.scope.find(node.text) is None:
            return None
        return self.eval(node, frame)

    def _eval_element_reference(self, node, frame):
        receiver = self.eval(node.field("object") or node.kids[0], frame)
        indices = self.arguments(node.kids[1:], frame)[0]
        return self.send(receiver, "[]", indices, node=node, frame=frame)

    # ---------------------------------------------------------------- operators

    def _eval_binary(self, node, frame):
        op = node.field("operator")
        left = node.field("left")
        if op in ("&&", "and"):
            value = self.eval(left, frame)
            return self.eval(node.field("right"), frame) if truthy(value) else value
        if op in ("||", "or"):
            value = self.eval(left, frame)
            return value if truthy(value) else self.eval(node.field("right"), frame)
        a = self.eval(left, frame)
        b = self.eval(node.field("right"), frame)
        if op == "!=":
            return not truthy(self.send(a, "==", [b], node=node, frame=frame)) \
                if not hasattr(a, "ruby_dispatch") else self.send(a, "!=", [b], node=node, frame=frame)
        if op == "!~":
            return not truthy(self.send(a, "=~", [b], node=node, frame=frame))
        return self.send(a, op, [b], node=node, frame=frame)

    def _eval_unary(self, node, frame):
        op = node.field("operator")
        operand = node.field("operand") or node.kids[-1]
        if op == "defined?":
            return self.defined(operand, frame)
        value = self.eval(operand, frame)
        if op in ("!", "not"):
            if hasattr(value, "ruby_dispatch"):
                return self.send(value, "!", [], node=node, frame=frame)
            return not truthy(value)
        if op == "-":
            return self.send(value, "-@", [], node=node, frame=frame)
        if op == "+":
            return value
        if op == "~":
            return ~value
        raise self.unsupported(f"operator `{op}`", node, frame)

    def defined(self, node: Node, frame: Frame) -> Any:
        if node.type == "identifier":
            if frame.scope.find(node.text) is not None:
                return "local-variable"
            return "method" if self.host.knows_function(node.text, frame) else None
        if node.type == "instance_variable":
            return "instance-variable" if node.text in getattr(frame.self_obj, "ivars", {}) else None
        if node.type in ("constant", "scope_resolution"):
            try:
                self.eval(node, frame)
            except RubyError:
                return None
            return "expression"
        return "expression"

    def _eval_conditional(self, node, frame):
        branch = "consequence" if truthy(self.eval(node.field("condition"), frame)) else "alternative"
        return self.eval(node.field(branch), frame)

    # ---------------------------------------------------------------- control flow

    def _eval_if(self, node, frame):
        if truthy(self.eval(node.field("condition"), frame)) == (node.type != "unless"):
            return self.run_body(node.field("consequence"), frame)
        alternative = node.field("alternative")
        return self.run_body(alternative, frame) if alternative is not None else None

    _eval_unless = _eval_if
    _eval_elsif = _eval_if

    def _eval_if_modifier(self, node, frame):
        if truthy(self.eval(node.field("condition"), frame)) == (node.type == "if_modifier"):
            return self.eval(node.field("body"), frame)
        return None

    _eval_unless_modifier = _eval_if_modifier

    def _eval_while(self, node, frame):
        until = node.type in ("until", "until_modifier")
        body = node.field("body")

        def steps():
            while truthy(self.eval(node.field("condition"), frame)) != until:
                yield lambda: self.run_body(body, frame)
        return self.looping(frame, steps())

    _eval_until = _eval_while
    _eval_while_modifier = _eval_while
    _eval_until_modifier = _eval_while

    def _eval_for(self, node, frame):
        from inspecpy.ruby.enumerable import items_of

        pattern = node.field("pattern")

        def steps():
            for item in items_of(self.eval(node.field("value").kids[0], frame)):
                if pattern.type == "left_assignment_list":
                    self.destructure(pattern, item if isinstance(item, list) else [item], frame)
                else:
                    self.assign(pattern, item, frame)
                yield lambda: self.run_body(node.field("body"), frame)
        return self.looping(frame, steps())

    @staticmethod
    def looping(frame: Frame, steps: Any) -> Any:
        """Run each loop step with Ruby's ``next`` (the next step) and ``break`` (leave, with a value)."""
        frame.loops += 1
        try:
            for step in steps:
                try:
                    step()
                except NextSignal:
                    continue
        except BreakSignal as signal:
            if signal.proc is not None:
                raise
            return signal.value
        finally:
            frame.loops -= 1
        return None

    def _eval_case(self, node, frame):
        subject_node = node.field("value")
        subject = self.eval(subject_node, frame) if subject_node is not None else None
        for kid in node.kids:
            if kid.type == "when":
                for pattern in (k for k in kid.kids if k.type == "pattern"):
                    inner = pattern.kids[0]
                    candidates = (self.splat(self.eval(inner.kids[0], frame)) if inner.type == "splat_argument"
                                  else [self.eval(inner, frame)])
                    for candidate in candidates:
                        hit = truthy(candidate) if subject_node is None else self.case_equal(candidate, subject)
                        if hit:
                            return self.run_body(kid.field("body"), frame)
            elif kid.type == "else":
                return self.run_body(kid, frame)
        return None

    def case_equal(self, pattern: Any, value: Any) -> bool:
        if isinstance(pattern, Proc):
            return truthy(pattern(value))
        return truthy(self.send(pattern, "===", [value]))

    def _eval_return(self, node, frame):
        raise ReturnSignal(self.jump_value(node, frame), frame.method_frame)

    def _eval_next(self, node, frame):
        raise NextSignal(self.jump_value(node, frame))

    def _eval_break(self, node, frame):
        raise BreakSignal(self.jump_value(node, frame), None if frame.loops else frame.proc)

    def jump_value(self, node: Node, frame: Frame) -> Any:
        args = [k for k in node.kids if k.type not in _SKIPPED]
        if not args:
            return None
        values = self.arguments(args[0].kids if args[0].type == "argument_list" else args, frame)[0]
        return values[0] if len(values) == 1 else values

    def _eval_begin(self, node, frame):
        rescues = [k for k in node.kids if k.type == "rescue"]
        else_node = next((k for k in node.kids if k.type == "else"), None)
        ensure = next((k for k in node.kids if k.type == "ensure"), None)
        body = [k for k in node.kids if k.type not in ("rescue", "else", "ensure")]
        try:
            try:
                value = self.run_body_kids(body, frame)
            except CONTROL_FLOW:
                raise
            except Exception as error:
                ruby_class = self.host.ruby_error_class(error)
                if ruby_class is None:
                    raise
                for clause in rescues:
                    if self.rescues(clause, ruby_class, frame):
                        variable = clause.field("variable")
                        if variable is not None:
                            self.assign(variable.kids[0], self.as_ruby_error(error), frame)
                        return self.run_body(clause.field("body"), frame)
                raise
            if else_node is not None:
                value = self.run_body(else_node, frame)
            return value
        finally:
            if ensure is not None:
                self.run_body_kids(ensure.kids, frame)

    _eval_body_with_rescue = _eval_begin

    def rescues(self, clause: Node, ruby_class: str, frame: Frame) -> bool:
        exceptions = clause.field("exceptions")
        if exceptions is None:
            return is_kind_of(ruby_class, "StandardError")
        for kid in exceptions.kids:
            name = constant_path(kid)
            if name is None:
                value = self.eval(kid, frame)
                name = getattr(value, "name", None)
            if name and is_kind_of(ruby_class, name):
                return True
        return False

    def as_ruby_error(self, error: BaseException) -> RubyError:
        if isinstance(error, RubyError):
            return error
        return RubyError(self.host.ruby_error_class(error) or "StandardError", str(error))

    def _eval_rescue_modifier(self, node, frame):
        try:
            return self.eval(node.field("body"), frame)
        except CONTROL_FLOW:
            raise
        except Exception as error:
            ruby_class = self.host.ruby_error_class(error)
            if ruby_class is None or not is_kind_of(ruby_class, "StandardError"):
                raise
            return self.eval(node.field("handler"), frame)

    def _eval_yield(self, node, frame):
        if frame.block is None:
            raise RubyError("LocalJumpError", "no block given (yield)")
        args = self.arguments(node.kids[0].kids if node.kids and node.kids[0].type == "argument_list"
                              else node.kids, frame)[0]
        return frame.block(*args)

    # ---------------------------------------------------------------- calls

    def _eval_call(self, node, frame):
        method = node.field("method")
        receiver_node = node.field("receiver")
        args_node = node.field("arguments")
        block_node = node.field("block")
        if method is None:  # `callable.()`
            name = "call"
        elif method.type == "super":
            return self._eval_super(node, frame)
        else:
            name = method.text
        args, kwargs, block = self.arguments(args_node.kids if args_node is not None else [], frame)
        if block_node is not None:
            block = self.make_proc(block_node, frame)
        call = Call(name, args, kwargs, block, node, frame)
        if receiver_node is None:
            return self.call_function(call)
        receiver = self.eval(receiver_node, frame)
        if node.field("operator") == "&." and receiver is None:
            return None
        return self.dispatch_with_break(receiver, call)

    def dispatch_with_break(self, receiver: Any, call: Call) -> Any:
        try:
            return send(self, call, receiver)
        except BreakSignal as signal:
            if call.block is not None and signal.proc is call.block:
                return signal.value
            raise

    def call_function(self, call: Call) -> Any:
        """A call without a receiver: ``self``'s method, a helper ``def``, then what the host defines."""
        try:
            return self.host.call_function(self, call)
        except BreakSignal as signal:
            if call.block is not None and signal.proc is call.block:
                return signal.value
            raise

    def arguments(self, kids: list[Node], frame: Frame) -> tuple[list, dict, Any]:
        """Positional values, keyword-style pairs, and a ``&block`` argument."""
        args: list = []
        kwargs: dict = {}
        block = None
        for kid in kids:
            kind = kid.type
            if kind in _SKIPPED:
                continue
            if kind == "pair":
                kwargs[self.pair_key(kid, frame)] = self.eval(kid.field("value") or kid.kids[-1], frame)
            elif kind == "splat_argument":
                args.extend(self.splat(self.eval(kid.kids[0], frame)))
            elif kind == "hash_splat_argument":
                kwargs.update(self.eval(kid.kids[0], frame) or {})
            elif kind == "block_argument":
                block = self.block_argument(kid, frame)
            else:
                args.append(self.eval(kid, frame))
        return args, kwargs, block

    def block_argument(self, node: Node, frame: Frame) -> Any:
        from inspecpy.ruby.runtime import BoundFunction

        if not node.kids:
            return frame.block
        value = self.eval(node.kids[0], frame)
        if isinstance(value, Symbol):
            name = str(value)
            return BoundFunction(lambda item, *rest: self.send(item, name, list(rest)))
        return value

    @staticmethod
    def splat(value: Any) -> list:
        from inspecpy.ruby.enumerable import items_of

        if value is None:
            return []
        if isinstance(value, (list, tuple, dict, RubyRange)):
            return items_of(value)
        return [value]

    # ---------------------------------------------------------------- parameters

    @staticmethod
    def param_names(params: Node | None) -> list[str]:
        if params is None:
            return []
        names = []
        for kid in params.kids:
            if kid.type == "identifier":
                names.append(kid.text)
            elif kid.field("name") is not None:
                names.append(kid.field("name").text)
        return names

    def bind_params(self, params: Node | None, args: list, frame: Frame, block_rules: bool = False,
                    kwargs: dict | None = None) -> None:
        kids = [k for k in (params.kids if params is not None else []) if k.type not in _SKIPPED]
        positional = [k for k in kids if k.type in ("identifier", "optional_parameter", "splat_parameter",
                                                    "destructured_parameter")]
        keywords = [k for k in kids if k.type == "keyword_parameter"]
        kwargs = dict(kwargs or {})
        if keywords and not kwargs and args and isinstance(args[-1], dict) and \
                all(isinstance(k, Symbol) for k in args[-1]) and len(args) > len(
                    [k for k in positional if k.type == "identifier"]):
            kwargs = args.pop()
        elif kwargs and not keywords:
            args = args + [kwargs]
            kwargs = {}
        if block_rules and len(args) == 1 and isinstance(args[0], list) and \
                (len(positional) > 1 or any(k.type == "splat_parameter" for k in positional)):
            args = list(args[0])
        required = [k for k in positional if k.type in ("identifier", "destructured_parameter")]
        if not block_rules and len(args) < len(required):
            raise RubyError("ArgumentError", f"wrong number of arguments (given {len(args)}, "
                                             f"expected {len(required)})")
        scope = frame.scope
        spare = len(args) - len(required)
        index = 0
        for kid in positional:
            if kid.type == "identifier":
                scope.declare(kid.text, args[index] if index < len(args) else None)
                index += 1
            elif kid.type == "destructured_parameter":
                value = args[index] if index < len(args) else None
                inner = value if isinstance(value, list) else [value]
                for position, sub in enumerate(k for k in kid.kids if k.type == "identifier"):
                    scope.declare(sub.text, inner[position] if position < len(inner) else None)
                index += 1
            elif kid.type == "optional_parameter":
                name = kid.field("name").text
                if spare > 0 and index < len(args):
                    scope.declare(name, args[index])
                    index += 1
                    spare -= 1
                else:
                    scope.declare(name, self.eval(kid.field("value"), frame))
            elif kid.type == "splat_parameter":
                count = max(0, len(args) - index - (len(positional) - positional.index(kid) - 1))
                name = kid.field("name")
                if name is not None:
                    scope.declare(name.text, list(args[index:index + count]))
                index += count
        for kid in keywords:
            name = kid.field("name").text
            if Symbol(name) in kwargs:
                scope.declare(name, kwargs.pop(Symbol(name)))
            elif kid.field("value") is not None:
                scope.declare(name, self.eval(kid.field("value"), frame))
            else:
                raise RubyError("ArgumentError", f"missing keyword: :{name}")
        for kid in kids:
            if kid.type == "hash_splat_parameter" and kid.field("name") is not None:
                scope.declare(kid.field("name").text, kwargs)
            elif kid.type == "block_parameter" and kid.field("name") is not None:
                scope.declare(kid.field("name").text, frame.block)

    def invoke(self, method: RubyMethod, self_obj: Any, args: list, kwargs: dict, block: Any,
               owner: RubyClass | None) -> Any:
        """Call a Ruby ``def`` on *self_obj*."""
        frame = Frame(self_obj, Scope(), method.file, block, owner, method.name)
        frame.method_frame = frame
        self.bind_params(method.params, list(args), frame, kwargs=kwargs)
        try:
            return self.run_body(method.body, frame)
        except ReturnSignal as signal:
            if signal.frame is frame:
                return signal.value
            raise

    # ---------------------------------------------------------------- definitions

    def _eval_method(self, node, frame):
        name = node.field("name").text
        method = RubyMethod(name, node.field("parameters"), node.field("body"), frame.file, node)
        if isinstance(frame.self_obj, RubyClass) and frame.owner is frame.self_obj:
            frame.owner.methods[name] = method
        else:
            self.host.define_function(method, frame)
        return Symbol(name)

    def _eval_singleton_method(self, node, frame):
        target = self.eval(node.field("object"), frame)
        if not isinstance(target, RubyClass):
            raise self.unsupported("`def` on a single object", node, frame)
        name = node.field("name").text
        target.class_methods[name] = RubyMethod(name, node.field("parameters"), node.field("body"), frame.file, node)
        return Symbol(name)

    def _eval_class(self, node, frame):
        name_node = node.field("name")
        name = constant_path(name_node) or name_node.text
        superclass_node = node.field("superclass")
        superclass = self.eval(superclass_node.kids[0], frame) if superclass_node is not None else None
        return self.host.define_class(self, name, superclass, node, frame)

    def _eval_module(self, node, frame):
        name = constant_path(node.field("name")) or node.field("name").text
        return self.host.define_class(self, name, None, node, frame, is_module=True)

    def class_body(self, klass: RubyClass, node: Node, frame: Frame) -> None:
        body = node.field("body")
        inner = Frame(klass, Scope(), frame.file, None, klass, None)
        if body is not None:
            self.run_body(body, inner)

    def new_object(self, klass: RubyClass, args: list, kwargs: dict, block: Any) -> RubyObject:
        obj = RubyObject(klass)
        init = klass.find_method("initialize")
        if init is not None:
            self.invoke(init, obj, args, kwargs, block, klass)
        return obj

    def _eval_super(self, node, frame):
        owner = frame.owner
        name = frame.method_name
        parent = owner.superclass.find_method(name) if owner is not None and owner.superclass and name else None
        if parent is None:
            return None  # Inspec.resource(1)#initialize and Object#initialize take any arguments and do nothing
        args_node = node.field("arguments") or (node.kids[0] if node.kids and node.kids[0].type == "argument_list"
                                                 else None)
        if args_node is not None:
            args, kwargs, block = self.arguments(args_node.kids, frame)
        else:
            args, kwargs, block = [frame.scope.get(n) for n in self.param_names(parent.params)], {}, frame.block
        return self.invoke(parent, frame.self_obj, args, kwargs, block, owner.superclass)


EVALUATED = frozenset({name[6:] for name in dir(Evaluator) if name.startswith("_eval_")} | _BODIES | _SKIPPED | {
    # parts evaluated by their parent node
    "argument_list", "block", "do_block", "block_parameters", "method_parameters", "lambda_parameters",
    "optional_parameter", "splat_parameter", "hash_splat_parameter", "keyword_parameter", "block_parameter",
    "destructured_parameter", "string_content", "escape_sequence", "interpolation", "heredoc_content", "pair",
    "splat_argument", "hash_splat_argument", "block_argument", "bare_string", "bare_symbol", "when", "pattern",
    "rescue", "exceptions", "exception_variable", "superclass", "left_assignment_list", "rest_assignment",
    "destructured_left_assignment", "operator", "setter", "in", "heredoc_end",
})
