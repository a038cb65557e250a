"""The expression compiler: a whitelisted subset of Python expressions compiled into closures.

Expressions are parsed with `ast.parse(mode="eval")` and every node is checked against a whitelist, then
turned into plain Python closures (never eval/exec/compile of code objects). Params are folded in as
constants and side-less keypoint names (`knee`) are resolved at compile time, so a definition is compiled
once per body side and each frame only calls closures.

Types: number, boolean, keypoint. NaN propagates: a missing keypoint gives NaN coordinates, every function
of a NaN is NaN, and any comparison with NaN is False.

Closures read a `MetricFrame` (per-frame expressions) or `RepFrames` (rep checks). A new function of
keypoints is one entry in GEOMETRY; other functions are a branch of `_Compiler.visit_Call`.
"""

from __future__ import annotations

import ast
import bisect
import math
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fitness.errors import DefinitionError
from fitness.exercise.yamlsrc import too_large
from fitness.geometry.angles import angle_deg, distance_px, incline_deg
from fitness.pose.types import KEYPOINT_NAMES
from fitness.spelling import did_you_mean

NUM, BOOL, POINT = "number", "boolean", "keypoint"
NAN = float("nan")

MAX_CHARS = 400
MAX_DEPTH = 16
MAX_NODES = 120
MAX_EXPONENT = 4  # `x ** 2` is useful for squared distances; anything bigger only invites overflow tricks

SIDED = ("eye", "ear", "shoulder", "elbow", "wrist", "hip", "knee", "ankle")
SIDES = ("left", "right")
POINT_ATTRS = ("x", "y", "score")
MAX_PEAK_S = 600.0


def other_side(side: str) -> str:
    return "right" if side == "left" else "left"


def keypoint_names() -> tuple[str, ...]:
    """Every keypoint name an expression may use: explicit, side-resolved and opposite-side."""
    return (*KEYPOINT_NAMES, *SIDED, *(f"other_{s}" for s in SIDED))


def resolve_keypoint(name: str, side: str) -> int | None:
    """`knee` -> index of the chosen side's knee; `other_knee` -> the opposite side's; `left_knee` as is."""
    if name in KEYPOINT_NAMES:
        return KEYPOINT_NAMES.index(name)
    if name in SIDED:
        return KEYPOINT_NAMES.index(f"{side}_{name}")
    if name.startswith("other_") and name[6:] in SIDED:
        return KEYPOINT_NAMES.index(f"{other_side(side)}_{name[6:]}")
    return None


def midpoint(a: tuple, b: tuple) -> tuple:
    """The keypoint halfway between two keypoints (x, y, score), with the lower score."""
    return ((a[0] + b[0]) * 0.5, (a[1] + b[1]) * 0.5, min(a[2], b[2]))


@dataclass(frozen=True)
class KeypointFunction:
    """A function of keypoints: kernel(*points) on (x, y, score) tuples -> a number or a keypoint (kind).
    arc: the result is the angle at the middle keypoint, which a UI can draw as an arc (angle_joints)."""

    kernel: Callable[..., Any]
    arity: int
    kind: str
    arc: bool = False


# The functions of keypoints an expression may call. A new one is an entry here (its kernel: a plain-float
# function, the geometry in fitness.geometry) and a line in exercises/README.md.
GEOMETRY = {
    "angle": KeypointFunction(angle_deg, 3, NUM, arc=True),
    "incline": KeypointFunction(incline_deg, 2, NUM),
    "distance": KeypointFunction(distance_px, 2, NUM),
    "mid": KeypointFunction(midpoint, 2, POINT),
}
ELEMENTWISE = ("abs", "acos", "min", "max")
AGGREGATES = ("min", "max", "range", "mean")
FUNCTIONS = (*GEOMETRY, *ELEMENTWISE, "range", "mean", "peak")


def nan_min(*xs: float) -> float:
    """min that returns NaN when any value is NaN (Python's min depends on argument order with NaN)."""
    for x in xs:
        if x != x:
            return NAN
    return min(xs)


def nan_max(*xs: float) -> float:
    for x in xs:
        if x != x:
            return NAN
    return max(xs)


def acos_deg(x: float) -> float:
    """The angle in degrees (0-180) whose cosine is x, with x clamped to [-1, 1]: a ratio of two measured
    lengths (a limb's height over its own length) overshoots 1 by noise. NaN stays NaN."""
    return math.degrees(math.acos(min(max(x, -1.0), 1.0))) if x == x else NAN


def _div(a: float, b: float) -> float:
    if b == 0:
        return NAN
    return a / b


def _pow(a: float, b: float) -> float:
    try:
        return a**b if a == a else NAN
    except (ZeroDivisionError, OverflowError):
        return NAN


def _finite_values(values: list[float]) -> list[float]:
    return [v for v in values if v == v]


def agg_min(values: list[float]) -> float:
    v = _finite_values(values)
    return min(v) if v else NAN


def agg_max(values: list[float]) -> float:
    v = _finite_values(values)
    return max(v) if v else NAN


def agg_range(values: list[float]) -> float:
    v = _finite_values(values)
    return max(v) - min(v) if v else NAN


def agg_mean(values: list[float]) -> float:
    v = _finite_values(values)
    return math.fsum(v) / len(v) if v else NAN


_AGG_FUNCS = {"min": agg_min, "max": agg_max, "range": agg_range, "mean": agg_mean}


class MetricFrame:
    """What closures read each frame. metrics: metric name -> value; points: 17 keypoints as (x, y, score)
    tuples (None in the frames of a rep kept for rep checks); torso: torso length in px.

    t: seconds; memory: what `peak()` remembers of earlier frames, owned by one session's metrics stage (None:
    no memory, `peak(x, s)` is then just x).
    """

    __slots__ = ("metrics", "points", "torso", "t", "memory")

    def __init__(self, metrics: dict[str, float], points: list[tuple[float, float, float]] | None, torso: float,
                 t: float = NAN, memory: dict | None = None) -> None:
        self.metrics = metrics
        self.points = points
        self.torso = torso
        self.t = t
        self.memory = memory


PEAK_QUANTILE = 0.9


class RunningPeak:
    """The level a number held at its highest over the last `span_s` seconds: the 90th percentile of its
    values there, so a spike of a frame or two (a misread keypoint) does not set the level for the whole span.

    Values are kept in time order (to expire them) and in value order (to read the percentile); NaN values are
    skipped, and with none left the peak is NaN.
    """

    __slots__ = ("span_s", "times", "order")

    def __init__(self, span_s: float) -> None:
        self.span_s = span_s
        self.times: deque[tuple[float, float]] = deque()
        self.order: list[float] = []

    def update(self, value: float, t: float) -> float:
        if value == value:
            self.times.append((t, value))
            bisect.insort(self.order, value)
        while self.times and self.times[0][0] < t - self.span_s:
            _, old = self.times.popleft()
            del self.order[bisect.bisect_left(self.order, old)]
        n = len(self.order)
        return self.order[max(math.ceil(PEAK_QUANTILE * n) - 1, 0)] if n else NAN


class RepFrames:
    """What rep-check closures read: the rep's frames (each a MetricFrame) and its duration in seconds."""

    __slots__ = ("frames", "duration")

    def __init__(self, frames: list[MetricFrame], duration: float) -> None:
        self.frames = frames
        self.duration = duration


@dataclass(frozen=True)
class Scope:
    """What names mean in one expression.

    side: "left"/"right", resolving side-less keypoint names. metrics: names defined so far (a metric may use
    earlier metrics). keypoints: keypoints and `torso` allowed (per-frame expressions). aggregates: rep-check
    mode, where metrics appear inside min/max/range/mean and `duration` is the rep's length. memory: a metric,
    measured on every frame in order, so `peak()` (which remembers earlier frames) is allowed.
    """

    side: str
    params: Mapping[str, float]
    metrics: tuple[str, ...] = ()
    keypoints: bool = True
    aggregates: bool = False
    memory: bool = False  # metrics only: `peak()` may remember earlier frames


@dataclass(frozen=True)
class Compiled:
    """A compiled expression. fn(frame) -> value; kind: number/boolean/keypoint; what it reads."""

    fn: Callable[[Any], Any]
    kind: str
    metrics: frozenset[str] = frozenset()
    keypoints: frozenset[int] = frozenset()
    angle_joints: tuple[int, int, int] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Where:
    """Where an expression sits in its file, for error messages. col0: column of the expression's first char."""

    file: str | None
    line: int | None
    col0: int | None
    field: str


class _Compiler:
    def __init__(self, text: str, scope: Scope, where: Where) -> None:
        self.text = text
        self.scope = scope
        self.where = where
        self.nodes = 0

    def error(self, node: ast.AST | None, message: str, suggestion: str | None = None) -> DefinitionError:
        line, col = self.where.line, self.where.col0
        if node is not None and hasattr(node, "lineno") and line is not None:
            if node.lineno == 1 and col is not None:
                col = col + node.col_offset
            else:
                line, col = line + node.lineno - 1, node.col_offset + 1
        return DefinitionError(
            f"in '{self.text.strip()}': {message}",
            file=self.where.file,
            line=line,
            column=col,
            field=self.where.field,
            suggestion=suggestion,
        )

    def expect(self, node: ast.AST, c: Compiled, kind: str, what: str) -> Compiled:
        if c.kind != kind:
            raise self.error(node, f"{what} must be a {kind}, got a {c.kind}")
        return c

    # entry --------------------------------------------------------------------------------------
    def compile(self) -> Compiled:
        if len(self.text) > MAX_CHARS:
            raise self.error(
                None,
                f"the expression is {len(self.text)} characters long; at most {MAX_CHARS} are allowed "
                "(split it into metrics)",
            )
        if not self.text.strip():
            raise self.error(None, "the expression is empty")
        try:
            tree = ast.parse(self.text.strip(), mode="eval")
        except SyntaxError as exc:
            raise DefinitionError(
                f"in '{self.text.strip()}': not a valid expression ({exc.msg})",
                file=self.where.file,
                line=self.where.line,
                column=(self.where.col0 or 1) + max((exc.offset or 1) - 1, 0) if self.where.col0 else None,
                field=self.where.field,
            ) from None
        except (ValueError, RecursionError, MemoryError):
            raise self.error(None, "not a valid expression") from None
        return self.visit(tree.body, 0)

    def visit(self, node: ast.AST, depth: int) -> Compiled:
        self.nodes += 1
        if depth > MAX_DEPTH:
            raise self.error(node, f"the expression is nested more than {MAX_DEPTH} levels deep: split it into metrics")
        if self.nodes > MAX_NODES:
            raise self.error(node, f"the expression has more than {MAX_NODES} parts: split it into metrics")
        method = getattr(self, f"visit_{type(node).__name__}", None)
        if method is None:
            raise self.error(node, f"{_describe_node(node)} is not allowed; expressions may use numbers, names, "
                             f"+ - * / **, comparisons, and/or/not and the functions {', '.join(FUNCTIONS)}")
        return method(node, depth + 1)

    # leaves -------------------------------------------------------------------------------------
    def visit_Constant(self, node: ast.Constant, depth: int) -> Compiled:
        v = node.value
        if isinstance(v, bool):
            return Compiled(lambda f, v=v: v, BOOL)
        if isinstance(v, (int, float)) and not isinstance(v, complex):
            problem = too_large(v)
            if problem is not None:
                raise self.error(node, problem)
            x = float(v)
            return Compiled(lambda f, x=x: x, NUM)
        raise self.error(node, f"{type(v).__name__} values are not allowed, only numbers and true/false")

    def visit_Name(self, node: ast.Name, depth: int) -> Compiled:
        name = node.id
        if name.startswith("__"):
            raise self.error(node, f"the name '{name}' is not allowed (no dunder names)")
        scope = self.scope
        if name in scope.params:
            x = float(scope.params[name])
            return Compiled(lambda f, x=x: x, NUM)
        if name in scope.metrics:
            if scope.aggregates:
                raise self.error(
                    node, f"in rep_checks the metric '{name}' must be inside min/max/range/mean, e.g. min({name})"
                )
            return Compiled(lambda f, name=name: f.metrics[name], NUM, metrics=frozenset({name}))
        if name == "duration" and scope.aggregates:
            return Compiled(lambda r: r.duration, NUM)
        if name in ("true", "false"):
            v = name == "true"
            return Compiled(lambda f, v=v: v, BOOL)
        index = resolve_keypoint(name, scope.side)
        if index is not None:
            if not scope.keypoints:
                raise self.error(node, f"keypoints such as '{name}' cannot be used here: define a metric and use it")
            return Compiled(lambda f, i=index: f.points[i], POINT, keypoints=frozenset({index}))
        if name == "torso":
            if not scope.keypoints:
                raise self.error(node, "'torso' cannot be used here: define a metric and use it")
            return Compiled(lambda f: f.torso, NUM)
        known = [
            *scope.metrics,
            *scope.params,
            *(keypoint_names() if scope.keypoints else ()),
            *(("torso",) if scope.keypoints else ()),
        ]
        if scope.aggregates:
            known.append("duration")
        kind = "metric, param or keypoint"
        raise self.error(node, f"unknown name '{name}' (expected a {kind})", did_you_mean(name, known))

    def visit_Attribute(self, node: ast.Attribute, depth: int) -> Compiled:
        if node.attr not in POINT_ATTRS:
            raise self.error(
                node,
                f"the attribute '.{node.attr}' is not allowed; keypoints have only .x, .y and .score",
                did_you_mean(node.attr, POINT_ATTRS),
            )
        base = self.visit(node.value, depth)
        if base.kind != POINT:
            raise self.error(node, f"'.{node.attr}' works only on a keypoint, not on a {base.kind}")
        i = POINT_ATTRS.index(node.attr)
        g = base.fn
        return Compiled(lambda f: g(f)[i], NUM, base.metrics, base.keypoints)

    # operators ----------------------------------------------------------------------------------
    def visit_UnaryOp(self, node: ast.UnaryOp, depth: int) -> Compiled:
        x = self.visit(node.operand, depth)
        g = x.fn
        if isinstance(node.op, ast.Not):
            self.expect(node, x, BOOL, "the operand of 'not'")
            return Compiled(lambda f: not g(f), BOOL, x.metrics, x.keypoints)
        self.expect(node, x, NUM, "the operand of a sign")
        if isinstance(node.op, ast.USub):
            return Compiled(lambda f: -g(f), NUM, x.metrics, x.keypoints)
        if isinstance(node.op, ast.UAdd):
            return x
        raise self.error(node, "the operator '~' is not allowed")

    def visit_BinOp(self, node: ast.BinOp, depth: int) -> Compiled:
        if isinstance(node.op, ast.Pow):
            exp = node.right
            value = (
                exp.value
                if isinstance(exp, ast.Constant)
                else (
                    -exp.operand.value
                    if isinstance(exp, ast.UnaryOp)
                    and isinstance(exp.op, ast.USub)
                    and isinstance(exp.operand, ast.Constant)
                    else None
                )
            )
            if not isinstance(value, (int, float)) or isinstance(value, bool) or abs(value) > MAX_EXPONENT:
                raise self.error(node, f"'**' needs a constant exponent between -{MAX_EXPONENT} and {MAX_EXPONENT}")
        a = self.expect(node, self.visit(node.left, depth), NUM, "the left side of an arithmetic operator")
        b = self.expect(node, self.visit(node.right, depth), NUM, "the right side of an arithmetic operator")
        ga, gb = a.fn, b.fn
        op = node.op
        if isinstance(op, ast.Add):
            fn = lambda f: ga(f) + gb(f)  # noqa: E731
        elif isinstance(op, ast.Sub):
            fn = lambda f: ga(f) - gb(f)  # noqa: E731
        elif isinstance(op, ast.Mult):
            fn = lambda f: ga(f) * gb(f)  # noqa: E731
        elif isinstance(op, ast.Div):
            fn = lambda f: _div(ga(f), gb(f))  # noqa: E731
        elif isinstance(op, ast.Pow):
            fn = lambda f: _pow(ga(f), gb(f))  # noqa: E731
        else:
            raise self.error(node, f"the operator {type(op).__name__} is not allowed; use + - * / or **")
        return Compiled(fn, NUM, a.metrics | b.metrics, a.keypoints | b.keypoints)

    def visit_BoolOp(self, node: ast.BoolOp, depth: int) -> Compiled:
        parts = [self.expect(node, self.visit(v, depth), BOOL, "each side of and/or") for v in node.values]
        fns = tuple(p.fn for p in parts)
        if isinstance(node.op, ast.And):
            fn = lambda f: all(g(f) for g in fns)  # noqa: E731
        else:
            fn = lambda f: any(g(f) for g in fns)  # noqa: E731
        return Compiled(fn, BOOL, _union(p.metrics for p in parts), _union(p.keypoints for p in parts))

    def visit_Compare(self, node: ast.Compare, depth: int) -> Compiled:
        operands = [self.visit(node.left, depth)] + [self.visit(c, depth) for c in node.comparators]
        for o in operands:
            self.expect(node, o, NUM, "both sides of a comparison")
        ops = []
        for op in node.ops:
            if isinstance(op, ast.Lt):
                ops.append(lambda a, b: a < b)
            elif isinstance(op, ast.LtE):
                ops.append(lambda a, b: a <= b)
            elif isinstance(op, ast.Gt):
                ops.append(lambda a, b: a > b)
            elif isinstance(op, ast.GtE):
                ops.append(lambda a, b: a >= b)
            elif isinstance(op, ast.Eq):
                ops.append(lambda a, b: a == b)
            elif isinstance(op, ast.NotEq):
                # NaN != x would be True; a missing value must never make a condition true.
                ops.append(lambda a, b: a == a and b == b and a != b)
            else:
                raise self.error(node, f"the comparison {type(op).__name__} is not allowed; use < <= > >= == !=")
        fns = tuple(o.fn for o in operands)
        pairs = tuple(zip(ops, range(len(ops))))
        if len(ops) == 1:
            cmp, ga, gb = ops[0], fns[0], fns[1]
            fn = lambda f: cmp(ga(f), gb(f))  # noqa: E731
        else:
            def fn(f, fns=fns, pairs=pairs):
                values = [g(f) for g in fns]
                return all(op(values[i], values[i + 1]) for op, i in pairs)
        return Compiled(fn, BOOL, _union(o.metrics for o in operands), _union(o.keypoints for o in operands))

    def visit_IfExp(self, node: ast.IfExp, depth: int) -> Compiled:
        test = self.expect(node, self.visit(node.test, depth), BOOL, "the condition of 'if'")
        a, b = self.visit(node.body, depth), self.visit(node.orelse, depth)
        if a.kind != b.kind:
            raise self.error(
                node, f"both branches of 'x if c else y' must have the same type, got {a.kind} and {b.kind}"
            )
        gt, ga, gb = test.fn, a.fn, b.fn
        return Compiled(lambda f: ga(f) if gt(f) else gb(f), a.kind, test.metrics | a.metrics | b.metrics,
                        test.keypoints | a.keypoints | b.keypoints)

    # calls --------------------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call, depth: int) -> Compiled:
        if not isinstance(node.func, ast.Name):
            raise self.error(node, f"only the functions {', '.join(FUNCTIONS)} can be called")
        name = node.func.id
        if name.startswith("__"):
            raise self.error(node, f"the name '{name}' is not allowed (no dunder names)")
        if node.keywords:
            raise self.error(node, f"{name}() takes no keyword arguments")
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.error(node, f"{name}() takes no *arguments")
        if name not in FUNCTIONS:
            raise self.error(node, f"unknown function '{name}' (expected one of {', '.join(FUNCTIONS)})",
                             did_you_mean(name, FUNCTIONS))
        if self.scope.aggregates and name in AGGREGATES and len(node.args) == 1:
            return self.aggregate(node, name, depth)
        if name in ("range", "mean"):
            raise self.error(
                node, f"{name}() aggregates over a rep and works only in rep_checks with one metric argument"
            )
        if name == "peak":
            return self.peak(node, depth)
        args = [self.visit(a, depth) for a in node.args]
        metrics = _union(a.metrics for a in args)
        keypoints = _union(a.keypoints for a in args)
        if name in GEOMETRY:
            return self.keypoint_function(node, name, args, metrics, keypoints)
        for a in args:
            self.expect(node, a, NUM, f"each argument of {name}()")
        if name in ("abs", "acos"):
            if len(args) != 1:
                raise self.error(node, f"{name}() takes one number, got {len(args)} arguments")
            g, one = args[0].fn, (abs if name == "abs" else acos_deg)
            return Compiled(lambda f: one(g(f)), NUM, metrics, keypoints)
        if len(args) < 2:
            hint = " (over a rep, only in rep_checks)" if not self.scope.aggregates else ""
            raise self.error(node, f"{name}() needs at least two numbers here{hint}")
        fns = tuple(a.fn for a in args)
        reduce = nan_min if name == "min" else nan_max
        return Compiled(lambda f: reduce(*[g(f) for g in fns]), NUM, metrics, keypoints)

    def keypoint_function(self, node: ast.Call, name: str, args: list[Compiled], metrics: frozenset[str],
                          keypoints: frozenset[int]) -> Compiled:
        function = GEOMETRY[name]
        kernel, n = function.kernel, function.arity
        if len(args) != n:
            raise self.error(node, f"{name}() takes {n} keypoints, got {len(args)} arguments")
        for a in args:
            self.expect(node, a, POINT, f"each argument of {name}()")
        if n == 2:
            g1, g2 = (a.fn for a in args)
            fn = lambda f: kernel(g1(f), g2(f))  # noqa: E731
        elif n == 3:
            g1, g2, g3 = (a.fn for a in args)
            fn = lambda f: kernel(g1(f), g2(f), g3(f))  # noqa: E731
        else:
            fns = tuple(a.fn for a in args)
            fn = lambda f: kernel(*[g(f) for g in fns])  # noqa: E731
        joints = None  # an arc's three plain keypoints
        if function.arc and all(len(a.keypoints) == 1 for a in args):
            joints = tuple(next(iter(a.keypoints)) for a in args)
        return Compiled(fn, function.kind, metrics, keypoints, joints)

    def aggregate(self, node: ast.Call, name: str, depth: int) -> Compiled:
        inner_scope = Scope(self.scope.side, self.scope.params, self.scope.metrics, keypoints=False, aggregates=False)
        inner_compiler = _Compiler(self.text, inner_scope, self.where)
        inner_compiler.nodes = self.nodes
        inner = inner_compiler.visit(node.args[0], depth)
        self.nodes = inner_compiler.nodes
        self.expect(node, inner, NUM, f"the argument of {name}()")
        if not inner.metrics:
            raise self.error(node, f"{name}() over a rep needs a metric inside, e.g. {name}(knee_deg)")
        g, reduce = inner.fn, _AGG_FUNCS[name]
        return Compiled(lambda r: reduce([g(fr) for fr in r.frames]), NUM, inner.metrics)

    def peak(self, node: ast.Call, depth: int) -> Compiled:
        """peak(x, seconds): the highest level x held over the last `seconds` (e.g. how tall this person stands)."""
        if not self.scope.memory:
            raise self.error(node, "peak() remembers earlier frames and works only in metrics: define a metric "
                                   "with it and use that metric here")
        if len(node.args) != 2:
            raise self.error(node, f"peak() takes a number and a time span in seconds, e.g. peak(knee_deg, 5); "
                                   f"got {len(node.args)} arguments")
        x = self.expect(node, self.visit(node.args[0], depth), NUM, "the first argument of peak()")
        span = self.expect(node, self.visit(node.args[1], depth), NUM, "the time span of peak()")
        span_s = span.fn(MetricFrame({}, None, NAN)) if not (span.metrics or span.keypoints) else NAN
        if not 0 < span_s <= MAX_PEAK_S:  # also false for NaN: `torso` or a metric is not a constant
            raise self.error(node.args[1], f"peak()'s time span must be a constant number of seconds in (0, "
                                           f"{MAX_PEAK_S:g}], e.g. peak(knee_deg, 5)")
        g = x.fn
        key = object()  # this call site's window in a tracker's memory (one per compiled side program)

        def fn(f: MetricFrame) -> float:
            value = g(f)
            if f.memory is None:
                return value
            peak = f.memory.get(key)
            if peak is None:
                peak = f.memory[key] = RunningPeak(span_s)
            return peak.update(value, f.t)

        return Compiled(fn, NUM, x.metrics, x.keypoints)

    # everything else is refused with a specific message -----------------------------------------
    def visit_Lambda(self, node, depth):
        raise self.error(node, "lambdas are not allowed")

    def visit_Subscript(self, node, depth):
        raise self.error(node, "subscripts (x[i]) are not allowed")


def _describe_node(node: ast.AST) -> str:
    names = {
        "ListComp": "a list comprehension", "SetComp": "a set comprehension", "DictComp": "a dict comprehension",
        "GeneratorExp": "a generator expression", "List": "a list", "Tuple": "a tuple", "Dict": "a dict",
        "Set": "a set", "JoinedStr": "an f-string", "NamedExpr": "an assignment (:=)", "Await": "await",
        "Yield": "yield", "YieldFrom": "yield", "Starred": "*args", "Slice": "a slice",
    }
    return names.get(type(node).__name__, f"'{type(node).__name__}'")


def _union(sets) -> frozenset:
    out: frozenset = frozenset()
    for s in sets:
        out = out | s
    return out


def compile_expression(text: Any, scope: Scope, where: Where, kind: str | None = None) -> Compiled:
    """Compile one expression; `kind` (number/boolean) is the type the caller needs."""
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise DefinitionError(
            f"expected an expression, got {text!r}",
            file=where.file,
            line=where.line,
            column=where.col0,
            field=where.field,
        )
    text = str(text)
    compiler = _Compiler(text, scope, where)
    c = compiler.compile()
    if kind is not None and c.kind != kind:
        what = (
            "a condition (true/false), e.g. knee_deg < depth_deg"
            if kind == BOOL
            else "a number, e.g. angle(hip, knee, ankle)"
        )
        raise compiler.error(None, f"expected {what}, got a {c.kind}")
    return c
