"""YAML with positions: every node keeps its file, line and column, so every mistake can point at itself.

`parse_yaml(text, file)` turns a YAML document into `Node`s (maps, lists, scalars) using yaml.compose with
the safe loader; anchors/aliases, duplicate keys, non-string keys, unknown tags, numbers beyond MAX_NUMBER and
text with control characters (which could move the cursor or recolour the terminal where it is shown) are
rejected.
`Reader` walks a map with typed getters that raise `DefinitionError` naming the field, what was expected,
and a "did you mean" suggestion for unknown keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from fitness.errors import DefinitionError
from fitness.spelling import did_you_mean
from fitness.text import control_chars

MAX_TEXT_CHARS = 200_000  # a real exercise is ~3 KB; this only stops absurd input early
MAX_NUMBER_TEXT = "1e12"  # the largest size of a number in a file or an expression: far beyond any real threshold
MAX_NUMBER = float(MAX_NUMBER_TEXT)
_FLOAT_LIKE = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+$")


@dataclass(frozen=True)
class Node:
    """One YAML node. value: dict[str, Node] for maps, list[Node] for lists, a Python scalar otherwise.

    line/column are 1-based; key_nodes (maps only) hold the positions of the keys themselves.
    style: the scalar's quote style (None = plain), used to place expression columns exactly.
    """

    value: Any
    line: int
    column: int
    kind: str  # "map" | "list" | "scalar"
    key_nodes: Mapping[str, Node] | None = None
    style: str | None = None


def too_large(value: float, digits: int | None = None) -> str | None:
    """'number too large ...' when `value` (an int of any size, a float, inf) is beyond +-MAX_NUMBER, else None.

    digits: the length of a number too long to convert (value is then ignored)."""
    if digits is None and (isinstance(value, bool) or not abs(value) > MAX_NUMBER):
        return None
    if digits is None and isinstance(value, int) and abs(value) >= 10**16:
        digits = len(str(abs(value)))
    shown = f"a {digits}-digit number" if digits is not None else f"{value:g}"
    return f"number too large: {shown} (at most {MAX_NUMBER_TEXT})"


def describe(node: Node) -> str:
    if node.kind == "map":
        return "a mapping"
    if node.kind == "list":
        return "a list"
    v = node.value
    if v is None:
        return "nothing (null)"
    if isinstance(v, bool):
        return f"the boolean {str(v).lower()}"
    if isinstance(v, (int, float)):
        return f"the number {v}"
    text = str(v)
    return f"the text '{text[:40]}{'...' if len(text) > 40 else ''}'"


class _Builder:
    def __init__(self, file: str | None) -> None:
        self.file = file
        self.constructor = yaml.constructor.SafeConstructor()
        self.seen: set[int] = set()

    def error(self, node: yaml.Node, message: str, field: str | None = None) -> DefinitionError:
        return DefinitionError(
            message, file=self.file, line=node.start_mark.line + 1, column=node.start_mark.column + 1, field=field
        )

    def build(self, node: yaml.Node, depth: int = 0) -> Node:
        if id(node) in self.seen:
            raise self.error(node, "YAML anchors and aliases (&name / *name) are not supported: write the value out")
        self.seen.add(id(node))
        if depth > 20:
            raise self.error(node, "the YAML is nested too deeply (more than 20 levels): flatten it")
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if isinstance(node, yaml.MappingNode):
            values: dict[str, Node] = {}
            keys: dict[str, Node] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, depth + 1)
                if key.kind != "scalar" or not isinstance(key.value, (str, int, float)) or isinstance(key.value, bool):
                    raise self.error(key_node, f"a key must be a plain name, got {describe(key)}")
                name = str(key.value)
                if name in values:
                    raise self.error(key_node, f"duplicate key '{name}': each key may appear once here", field=name)
                keys[name] = key
                values[name] = self.build(value_node, depth + 1)
            return Node(values, line, column, "map", key_nodes=keys)
        if isinstance(node, yaml.SequenceNode):
            return Node([self.build(item, depth + 1) for item in node.value], line, column, "list")
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise self.error(node, f"cannot read this value: {getattr(exc, 'problem', exc)}") from None
        except (ValueError, OverflowError) as exc:
            if node.tag.endswith((":int", ":float")):  # Python refuses ints of more than 4300 digits
                digits = len(node.value.lstrip("+-"))
                raise self.error(node, too_large(0, digits=digits)) from None  # type: ignore[arg-type]
            raise self.error(node, f"cannot read this value: {exc}") from None  # e.g. a date like 2024-13-45
        if not isinstance(value, (str, int, float, bool, type(None))):
            raise self.error(node, f"expected a number, text or boolean, got a YAML {type(value).__name__}")
        if isinstance(value, (int, float)) and too_large(value):
            raise self.error(node, too_large(value))  # type: ignore[arg-type]
        if isinstance(value, str) and control_chars(value, multiline=True):
            bad = ", ".join(control_chars(value, multiline=True))
            raise self.error(node, f"the text contains control characters ({bad}), which could garble the terminal "
                                   "it is shown on: remove them")
        return Node(value, line, column, "scalar", style=getattr(node, "style", None) or None)  # libyaml: "" = plain


# libyaml's composer (PyYAML's C extension, when built) reads an exercise file ~10x faster than the pure-Python
# one; a document it refuses is read again by the pure-Python one, whose errors the messages below are made of,
# and so is one with an empty value, which libyaml places elsewhere (at the next token).
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _has_empty_value(root: yaml.Node | None) -> bool:
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if node.value == "" and not node.style:
                return True
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        else:
            stack.extend(node.value)
    return False


def _compose(text: str) -> yaml.Node | None:
    if _FAST_LOADER is not None:
        try:
            root = yaml.compose(text, Loader=_FAST_LOADER)
            if not _has_empty_value(root):
                return root
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def parse_yaml(text: str, file: str | None) -> Node:
    """Parse one YAML document into positioned Nodes; every problem is a DefinitionError."""
    if len(text) > MAX_TEXT_CHARS:
        raise DefinitionError(
            f"the file is {len(text)} characters long; at most {MAX_TEXT_CHARS} are accepted", file=file
        )
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise DefinitionError(
            f"this is not valid YAML: {problem}",
            file=file,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise DefinitionError(f"this is not valid YAML: {exc}", file=file) from None
    except RecursionError:
        raise DefinitionError("the YAML is nested too deeply: flatten it", file=file) from None
    if root is None:
        raise DefinitionError(
            "the file is empty: expected a mapping with at least 'name' and 'rep' or 'hold'", file=file
        )
    return _Builder(file).build(root)


class Reader:
    """Typed access to one YAML map; `reject_unknown_keys(allowed)` makes any other key an error with a
    suggestion."""

    def __init__(self, node: Node, file: str | None, path: str = "") -> None:
        self.file = file
        self.path = path
        if node.kind != "map":
            raise self.error(node, f"expected a mapping of keys to values, got {describe(node)}")
        self.node = node
        self.used: set[str] = set()

    def field_name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(
        self, node: Node, message: str, field: str | None = None, suggestion: str | None = None
    ) -> DefinitionError:
        return DefinitionError(
            message,
            file=self.file,
            line=node.line,
            column=node.column,
            field=field or self.path or None,
            suggestion=suggestion,
        )

    def has(self, key: str) -> bool:
        return key in self.node.value

    def raw(self, key: str, required: bool = False) -> Node | None:
        self.used.add(key)
        node = self.node.value.get(key)
        if node is None and required:
            raise self.error(self.node, f"the required key '{key}' is missing", field=self.field_name(key))
        return node

    def reject_unknown_keys(self, allowed: Iterable[str]) -> None:
        """A DefinitionError for the first key of the map that is not in `allowed`, with a did-you-mean."""
        allowed = list(allowed)
        for key, key_node in self.node.key_nodes.items():
            if key not in allowed:
                raise self.error(
                    key_node,
                    f"unknown key '{key}' (allowed here: {', '.join(allowed)})",
                    field=self.field_name(key),
                    suggestion=did_you_mean(key, allowed),
                )

    # typed getters ------------------------------------------------------------------------------
    def string(self, key: str, default: str | None = None, required: bool = False) -> str | None:
        node = self.raw(key, required)
        if node is None:
            return default
        if node.kind != "scalar" or not isinstance(node.value, str) or not node.value.strip():
            raise self.error(node, f"expected text, got {describe(node)}", field=self.field_name(key))
        return node.value

    def number(
        self,
        key: str,
        default: float | None = None,
        required: bool = False,
        low: float | None = None,
        high: float | None = None,
    ) -> float | None:
        node = self.raw(key, required)
        if node is None:
            return default
        return number_of(node, self.file, self.field_name(key), low, high)

    def choice(self, key: str, choices: tuple[str, ...], default: str | None) -> str | None:
        node = self.raw(key)
        if node is None:
            return default
        if node.kind != "scalar" or str(node.value) not in choices:
            raise self.error(
                node,
                f"expected one of {', '.join(choices)}, got {describe(node)}",
                field=self.field_name(key),
                suggestion=did_you_mean(str(node.value), choices) if node.kind == "scalar" else None,
            )
        return str(node.value)

    def string_list(
        self, key: str, choices: tuple[str, ...] | None = None, default: tuple[str, ...] = ()
    ) -> tuple[tuple[str, Node], ...]:
        """A list of names (a single name is accepted as a one-item list); returns (name, node) pairs."""
        node = self.raw(key)
        if node is None:
            return tuple((d, self.node) for d in default)
        items = node.value if node.kind == "list" else [node]
        out = []
        for item in items:
            if item.kind != "scalar" or not isinstance(item.value, str):
                raise self.error(item, f"expected a list of names, got {describe(item)}", field=self.field_name(key))
            if choices is not None and item.value not in choices:
                raise self.error(
                    item,
                    f"unknown name '{item.value}' (expected one of {', '.join(choices)})",
                    field=self.field_name(key),
                    suggestion=did_you_mean(item.value, choices),
                )
            out.append((item.value, item))
        return tuple(out)


def number_of(node: Node, file: str | None, field: str, low: float | None = None, high: float | None = None) -> float:
    """A finite number from a scalar node, within [low, high] when given."""
    v = node.value
    ok = (
        node.kind == "scalar"
        and isinstance(v, (int, float))
        and not isinstance(v, bool)
        and v == v
        and abs(v) != float("inf")
    )
    if not ok:
        hint = ""
        if isinstance(v, str) and _FLOAT_LIKE.match(v.strip()):
            hint = " (YAML reads a number with an exponent as text unless it has a dot and a sign, e.g. 1.0e+3)"
        raise DefinitionError(f"expected a number, got {describe(node)}{hint}", file=file, line=node.line,
                              column=node.column, field=field)
    v = float(v)
    if (low is not None and v < low) or (high is not None and v > high):
        bounds = f"between {low:g} and {high:g}" if low is not None and high is not None else (
            f"at least {low:g}" if low is not None else f"at most {high:g}"
        )
        raise DefinitionError(
            f"expected a number {bounds}, got {v:g}", file=file, line=node.line, column=node.column, field=field
        )
    return v
