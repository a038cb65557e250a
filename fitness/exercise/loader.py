"""Load exercise YAML into validated `ExerciseDefinition`s: find the file, read it, check it, compile it.

Search order for a name: an explicit path, then `extra_dirs`, the user folder
(`fitness.paths.user_exercises_dir()`), then the built-in library (package `fitness._exercises`).
"""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import fitness
from fitness import paths
from fitness.errors import DefinitionError
from fitness.exercise.definition import (
    LIMBS_CHOICES,
    POSTURE_CHOICES,
    SEVERITY_PENALTY,
    SIDE_CHOICES,
    VIEW_CHOICES,
    ExerciseDefinition,
    HoldDef,
    ParamDef,
    PartialDef,
    RepDef,
    RuleDef,
    SideProgram,
    StateDef,
    unit_range,
)
from fitness.exercise.expr import (
    BOOL,
    FUNCTIONS,
    NUM,
    Compiled,
    MetricFrame,
    Scope,
    Where,
    compile_expression,
    keypoint_names,
    resolve_keypoint,
)
from fitness.exercise.yamlsrc import Node, Reader, describe, number_of, parse_yaml
from fitness.pose.types import TRUSTED_KEYPOINT_SCORE
from fitness.spelling import did_you_mean

TOP_KEYS = ("name", "title", "description", "views", "posture", "side", "limbs", "requires", "view_requires",
            "min_score", "params", "levels", "metrics", "rep", "hold", "form", "rep_checks")
REP_KEYS = ("signal", "tempo", "rest", "target", "states", "min_rep_s", "max_rep_s", "partial", "phases")
STATE_KEYS = ("enter", "exit", "min_dwell_s")
PARTIAL_KEYS = ("when", "id", "message")
HOLD_KEYS = ("when", "grace_s", "min_s")
FORM_KEYS = ("id", "when", "message", "severity", "during", "views", "hold_s", "release_s", "penalty")
CHECK_KEYS = ("id", "when", "message", "severity", "views", "penalty")
PARAM_KEYS = ("value", "min", "max")
SEVERITIES = tuple(SEVERITY_PENALTY)
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
RESERVED = set(keypoint_names()) | set(FUNCTIONS) | {"torso", "duration", "true", "false"}


@dataclass(frozen=True)
class ExerciseInfo:
    """One exercise found on disk, for listings."""

    name: str
    title: str
    path: Path
    views: tuple[str, ...]
    builtin: bool = False


# ---------------------------------------------------------------------------------------------------
# Finding files
# ---------------------------------------------------------------------------------------------------
def builtin_dir() -> Path:
    """The folder of the shipped library.

    In a source checkout (a pyproject.toml beside the package) the checkout's own exercises/ folder wins, so
    an editable install made from another checkout cannot point the library somewhere else.
    """
    root = Path(fitness.__file__).resolve().parent.parent
    if (root / "pyproject.toml").is_file() and (root / "exercises" / "__init__.py").is_file():
        return root / "exercises"
    return Path(str(resources.files("fitness._exercises")))


def search_dirs(extra_dirs: Iterable[str | Path] = ()) -> list[Path]:
    return [*(Path(d).expanduser() for d in extra_dirs), paths.user_exercises_dir(), builtin_dir()]


def find_exercise(name: str | Path, extra_dirs: Iterable[str | Path] = ()) -> Path:
    """The YAML file for a name or path; DefinitionError with a suggestion when there is none."""
    text = str(name)
    candidate = Path(text).expanduser()
    if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
        if candidate.is_file():
            return candidate
        raise DefinitionError(f"no exercise file at '{text}': check the path")
    for folder in search_dirs(extra_dirs):
        for ext in (".yaml", ".yml"):
            path = folder / f"{text}{ext}"
            if path.is_file():
                return path
    known = sorted(exercise_files(extra_dirs))
    hint = did_you_mean(text, known)
    if hint is None:
        hint = f"known: {', '.join(known)}" if known else "no exercises were found"
        raise DefinitionError(f"unknown exercise '{text}' ({hint}; see 'fitness exercises list')")
    raise DefinitionError(f"unknown exercise '{text}': {hint} (see 'fitness exercises list')")


def exercise_files(extra_dirs: Iterable[str | Path] = ()) -> dict[str, tuple[Path, bool]]:
    """name -> (file, built-in?) for every exercise file in the search folders; the first folder holding a name
    wins, as in `find_exercise` (a file that does not load still hides the same name in later folders)."""
    found: dict[str, tuple[Path, bool]] = {}
    builtin = builtin_dir()
    for folder in search_dirs(extra_dirs):
        if not folder.is_dir():
            continue
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            found.setdefault(path.stem, (path, folder == builtin))
    return found


@dataclass(frozen=True)
class ExerciseScan:
    """Every exercise file found: those that load (sorted by name) and, for each one that does not, its error."""

    infos: tuple[ExerciseInfo, ...]
    problems: tuple[DefinitionError, ...]


def scan_exercises(extra_dirs: Iterable[str | Path] = ()) -> ExerciseScan:
    """Load every exercise in the search folders (earlier folders shadow later ones), keeping the errors."""
    infos, problems = [], []
    for path, builtin in exercise_files(extra_dirs).values():
        try:
            d = load_exercise(path)
        except DefinitionError as exc:
            problems.append(exc)
            continue
        infos.append(ExerciseInfo(d.name, d.title, path, d.views, builtin=builtin))
    return ExerciseScan(tuple(sorted(infos, key=lambda i: i.name)), tuple(problems))


def list_exercises(extra_dirs: Iterable[str | Path] = ()) -> list[ExerciseInfo]:
    """Every exercise in the search folders that loads, sorted by name (`scan_exercises` also gives the errors)."""
    return list(scan_exercises(extra_dirs).infos)


def load_exercise(
    name: str | Path,
    extra_dirs: Iterable[str | Path] = (),
    level: str | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> ExerciseDefinition:
    """Find, read, validate and compile an exercise. level picks a `levels:` entry; overrides (`--set k=v`)
    replace params last. Every problem is a DefinitionError naming file, line, column and field."""
    path = find_exercise(name, extra_dirs)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError(f"cannot read the file: {exc}", file=str(path)) from None
    return parse_exercise(text, file=str(path), path=path, level=level, overrides=overrides)


def parse_exercise(
    text: str,
    file: str | None = None,
    path: Path | None = None,
    level: str | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> ExerciseDefinition:
    """Validate and compile YAML text (the part of load_exercise that needs no file)."""
    try:
        return _Parser(file).parse(parse_yaml(text, file), path, level, dict(overrides or {}))
    except RecursionError:
        raise DefinitionError("the definition is nested too deeply", file=file) from None


# ---------------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Expr:
    text: str
    where: Where


class _Parser:
    def __init__(self, file: str | None) -> None:
        self.file = file
        # Where each expression sits, for errors raised when it is compiled per side and probed:
        # ("state", name) -> (enter, exit), "partial", "hold", (section, index).
        self.wheres: dict[Any, Any] = {}

    def error(
        self, node: Node, message: str, field: str | None = None, suggestion: str | None = None
    ) -> DefinitionError:
        return DefinitionError(
            message, file=self.file, line=node.line, column=node.column, field=field, suggestion=suggestion
        )

    def expr(self, node: Node | None, field: str, owner: Node) -> _Expr:
        if node is None:
            raise self.error(owner, "an expression is required here", field)
        if node.kind != "scalar" or isinstance(node.value, bool) or node.value is None:
            raise self.error(node, f"expected an expression, got {describe(node)}", field)
        quoted = 1 if node.style in ("'", '"') else 0
        col0 = node.column + quoted if node.style in (None, "'", '"') else None
        return _Expr(str(node.value), Where(self.file, node.line, col0, field))

    def ident(self, node: Node, what: str, field: str, allow_reserved: bool = False) -> str:
        value = node.value if node.kind == "scalar" else None
        if not isinstance(value, str) or not NAME_RE.match(value) or keyword.iskeyword(value):
            raise self.error(
                node,
                f"expected a {what} name (lowercase letters, digits and _, starting with a letter), "
                f"got {describe(node)}",
                field,
            )
        if not allow_reserved and value in RESERVED:
            raise self.error(
                node,
                f"'{value}' is a built-in name (keypoint, function or torso/duration); pick another {what} name",
                field,
            )
        return value

    # top level ---------------------------------------------------------------------------------
    def parse(self, root: Node, path: Path | None, level: str | None, overrides: dict[str, Any]) -> ExerciseDefinition:
        r = Reader(root, self.file)
        r.reject_unknown_keys(TOP_KEYS)
        name = self.ident(r.raw("name", required=True), "exercise", "name", allow_reserved=True)
        title = r.string("title", default=name.replace("_", " ").capitalize())
        description = r.string("description", default="")
        views = tuple(v for v, _ in r.string_list("views", VIEW_CHOICES, default=("side",)))
        if not views:
            raise self.error(r.raw("views"), "list at least one camera view: side, front or oblique", "views")
        posture = r.choice("posture", POSTURE_CHOICES, None)
        side = r.choice("side", SIDE_CHOICES, "auto")
        limbs = r.choice("limbs", LIMBS_CHOICES, "together")
        min_score = r.number("min_score", default=TRUSTED_KEYPOINT_SCORE, low=0.0, high=1.0)
        param_defs = self.params(r.raw("params"))
        params = {key: p.default for key, p in param_defs.items()}
        levels = self.levels(r.raw("levels"), param_defs)
        if level is not None:
            if level not in levels:
                raise DefinitionError(
                    f"--level {level}: unknown level '{level}' (levels of {name}: {', '.join(levels) or 'none'})",
                    suggestion=did_you_mean(level, levels),
                )
            params.update(levels[level])
        for key, value in overrides.items():
            params[key] = _override_value(name, param_defs, key, value)

        metrics = self.metrics(r.raw("metrics"), params, root)
        has_rep, has_hold = r.has("rep"), r.has("hold")
        if has_rep == has_hold:
            raise self.error(
                root, "a definition needs exactly one of 'rep:' (counted reps) or 'hold:' (timed hold)", "rep"
            )
        rep = self.rep(r.raw("rep"), metrics, views) if has_rep else None
        hold = self.hold(r.raw("hold")) if has_hold else None
        state_names = tuple(s.name for s in rep.states) if rep else ()
        form = self.rules(r.raw("form"), "form", FORM_KEYS, state_names, views)
        checks = self.rules(r.raw("rep_checks"), "rep_checks", CHECK_KEYS, state_names, views)
        if checks and hold is not None:
            raise self.error(
                r.raw("rep_checks"), "rep_checks need a rep cycle; a hold exercise uses form rules only", "rep_checks"
            )
        ids = [x.id for x in (*form, *checks)] + ([rep.partial.id] if rep and rep.partial else [])
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise self.error(root, f"rule ids must be unique, '{dupes[0]}' is used twice", "form")
        requires_nodes = r.string_list("requires", keypoint_names())
        view_requires = self.view_requires(r.raw("view_requires"), views)

        sides = ("left", "right") if side in ("auto", "both", "alternating") else (side,)
        programs = {s: self.compile_side(s, params, metrics, rep, hold, form, checks, requires_nodes, view_requires)
                    for s in sides}
        if rep is not None:
            self.probe_cycle(rep, metrics, programs[sides[0]], params)
        requires = tuple(n for n, _ in requires_nodes) or tuple(
            sorted({_sideless(i) for i in programs[sides[0]].required})
        )
        return ExerciseDefinition(
            name=name,
            title=title,
            path=path,
            views=views,
            posture=posture,
            side=side,
            limbs=limbs,
            requires=requires,
            min_score=min_score,
            params=MappingProxyType(dict(params)),
            metrics=tuple((n, e.text) for n, e in metrics.items()),
            rep=rep,
            hold=hold,
            form=form,
            rep_checks=checks,
            description=description,
            levels=MappingProxyType({k: MappingProxyType(v) for k, v in levels.items()}),
            level=level,
            param_defs=MappingProxyType(param_defs),
            programs=MappingProxyType(programs),
        )

    def params(self, node: Node | None) -> dict[str, ParamDef]:
        """`name: number`, or `name: {value: number, min: low, max: high}` to declare the allowed range (a bound
        left out comes from the name's unit, see `unit_range`)."""
        if node is None:
            return {}
        if node.kind != "map":
            raise self.error(node, f"expected a mapping of param names to numbers, got {describe(node)}", "params")
        out = {}
        for key, value in node.value.items():
            self.ident(node.key_nodes[key], "param", "params")
            field = f"params.{key}"
            if value.kind == "map":
                r = Reader(value, self.file, field)
                r.reject_unknown_keys(PARAM_KEYS)
                value_node = r.raw("value", required=True)
                default = number_of(value_node, self.file, f"{field}.value")
                unit_low, unit_high = unit_range(key, default)
                low = r.number("min", default=unit_low)
                high = r.number("max", default=unit_high)
                if low >= high:
                    raise self.error(r.raw("max") or r.raw("min"),
                                     f"the range of {key} is empty: min ({low:g}) must be below max ({high:g})", field)
                hint = ""
            else:
                if value.kind != "scalar":
                    raise self.error(value, f"expected a number or {{value: NUMBER, min: LOWEST, max: HIGHEST}}, got "
                                     f"{describe(value)}", field)
                value_node, default = value, number_of(value, self.file, field)
                low, high = unit_range(key, default)
                unit = key.rsplit("_", 1)[-1]
                hint = (f"; that is the range of its unit ({key}'s name ends in _{unit}): declare its own, e.g. "
                        f"{key}: {{value: {default:g}, min: LOWEST, max: HIGHEST}}")
            out[key] = ParamDef(key, default, low, high)
            if not low <= default <= high:
                raise self.error(value_node, f"the value {default:g} is outside {low:g}..{high:g}{hint}", field)
        return out

    def levels(self, node: Node | None, params: Mapping[str, ParamDef]) -> dict[str, dict[str, float]]:
        if node is None:
            return {}
        if node.kind != "map":
            raise self.error(node, f"expected a mapping of level names to param values, got {describe(node)}", "levels")
        out: dict[str, dict[str, float]] = {}
        for level, body in node.value.items():
            self.ident(node.key_nodes[level], "level", "levels", allow_reserved=True)
            if body.kind != "map":
                raise self.error(
                    body, f"expected a mapping of param names to numbers, got {describe(body)}", f"levels.{level}"
                )
            out[level] = {}
            for key, value in body.value.items():
                if key not in params:
                    raise self.error(
                        body.key_nodes[key],
                        f"unknown param '{key}' (params: {', '.join(params) or 'none'})",
                        f"levels.{level}",
                        did_you_mean(key, params),
                    )
                x = number_of(value, self.file, f"levels.{level}.{key}")
                problem = params[key].problem(x)
                if problem is not None:
                    raise self.error(value, f"{problem}, got {x:g}", f"levels.{level}.{key}")
                out[level][key] = x
        return out

    def metrics(self, node: Node | None, params: Mapping[str, float], root: Node) -> dict[str, _Expr]:
        if node is None or node.kind != "map" or not node.value:
            raise self.error(
                node or root,
                "expected 'metrics:' mapping names to expressions, e.g. knee_deg: angle(hip, knee, ankle)",
                "metrics",
            )
        out: dict[str, _Expr] = {}
        for key, value in node.value.items():
            self.ident(node.key_nodes[key], "metric", "metrics")
            if key in params:
                raise self.error(
                    node.key_nodes[key], f"'{key}' is already a param; metric and param names must differ", "metrics"
                )
            out[key] = self.expr(value, f"metrics.{key}", node)
            # Type-check now so the error points at the first bad metric, with earlier metrics in scope.
            compile_expression(out[key].text, Scope("left", params, tuple(out)[:-1], memory=True), out[key].where, NUM)
        return out

    def rep(self, node: Node, metrics: Mapping[str, _Expr], views: tuple[str, ...]) -> RepDef:
        r = Reader(node, self.file, "rep")
        r.reject_unknown_keys(REP_KEYS)
        signal = self.metric_ref(r, "signal", "the rep signal", metrics, required=True)
        tempo, tempo_views = self.tempo(r, metrics, views) if r.has("tempo") else (None, {})
        states_node = r.raw("states", required=True)
        if states_node.kind != "map" or len(states_node.value) < 2:
            raise self.error(
                states_node,
                "expected at least two states, e.g. {top: knee_deg > top_deg, bottom: knee_deg < depth_deg}",
                "rep.states",
            )
        states = []
        for key, value in states_node.value.items():
            self.ident(states_node.key_nodes[key], "state", "rep.states")
            field = f"rep.states.{key}"
            if value.kind == "map":
                sr = Reader(value, self.file, field)
                sr.reject_unknown_keys(STATE_KEYS)
                enter = self.expr(sr.raw("enter", required=True), f"{field}.enter", value)
                exit_ = self.expr(sr.raw("exit"), f"{field}.exit", value) if sr.has("exit") else None
                dwell = sr.number("min_dwell_s", default=None, low=0.0, high=10.0)
            else:
                enter, exit_, dwell = self.expr(value, field, states_node), None, None
            states.append((StateDef(key, enter.text, exit_.text if exit_ else None, dwell), enter, exit_))
        names = [s.name for s, _, _ in states]
        rest = self.state_ref(r, "rest", names, names[0])
        target_default = next(n for n in names if n != rest)
        target = self.state_ref(r, "target", names, target_default)
        if target == rest:
            raise self.error(
                r.raw("target"), f"the target state must differ from the rest state '{rest}'", "rep.target"
            )
        states = [(s.with_default_dwell(s.name == rest), e, x) for s, e, x in states]
        partial = None
        partial_node = r.raw("partial")
        if partial_node is not None:
            if partial_node.kind == "map":
                pr = Reader(partial_node, self.file, "rep.partial")
                pr.reject_unknown_keys(PARTIAL_KEYS)
                when = self.expr(pr.raw("when", required=True), "rep.partial.when", partial_node)
                pid = (
                    self.ident(pr.raw("id"), "rule id", "rep.partial.id", allow_reserved=True)
                    if pr.has("id")
                    else PartialDef.id
                )
                message = pr.string("message", default=PartialDef.message)
            else:
                when, pid, message = self.expr(partial_node, "rep.partial", node), PartialDef.id, PartialDef.message
            partial = PartialDef(when.text, pid, message)
            self.wheres["partial"] = when.where
        phases = r.string_list("phases")
        if phases and len(phases) != 3:
            raise self.error(
                r.raw("phases"),
                "expected three phase names: going out, at the target, coming back "
                "(e.g. [eccentric, bottom, concentric])",
                "rep.phases",
            )
        for _, pnode in phases:
            self.ident(pnode, "phase", "rep.phases", allow_reserved=True)
        min_rep_s = r.number("min_rep_s", default=RepDef.min_rep_s, low=0.0, high=60.0)
        max_rep_s = r.number("max_rep_s", default=RepDef.max_rep_s, low=0.1, high=600.0)
        if max_rep_s <= min_rep_s:
            raise self.error(
                r.raw("max_rep_s"),
                f"max_rep_s ({max_rep_s:g}) must be larger than min_rep_s ({min_rep_s:g})",
                "rep.max_rep_s",
            )
        for s, e, x in states:
            self.wheres["state", s.name] = (e.where, x.where if x else None)
        return RepDef(
            signal=signal, tempo=tempo, tempo_views=MappingProxyType(tempo_views), rest=rest, target=target,
            states=tuple(s for s, _, _ in states),
            min_rep_s=min_rep_s, max_rep_s=max_rep_s, partial=partial,
            phase_names=tuple(p for p, _ in phases) if phases else ("out", target, "back"),  # type: ignore[arg-type]
        )

    def metric_ref(self, r: Reader, key: str, what: str, metrics: Mapping[str, _Expr], required: bool = False) -> str:
        """The metric named by rep.<key>, checked against the definition's metrics."""
        node = r.raw(key, required=required)
        name = str(node.value) if node.kind == "scalar" else ""
        if name not in metrics:
            raise self.error(node, f"unknown metric '{name}' for {what} (metrics: {', '.join(metrics)})", f"rep.{key}",
                             did_you_mean(name, metrics))
        return name

    def tempo(self, r: Reader, metrics: Mapping[str, _Expr], views: tuple[str, ...]) -> tuple[str, dict[str, str]]:
        """rep.tempo: one metric, or a metric per camera view ({side: elbow_deg, front: flex_deg}) naming every
        view of `views`; (the metric of the first view, view -> metric)."""
        node = r.raw("tempo")
        if node.kind != "map":
            return self.metric_ref(r, "tempo", "the tempo", metrics), {}
        by_view: dict[str, str] = {}
        for view, value in node.value.items():
            where = f"rep.tempo.{view}"
            if view not in views:
                raise self.error(node.key_nodes[view], f"'{view}' is not one of this exercise's views "
                                 f"({', '.join(views)})", where, did_you_mean(str(view), views))
            name = str(value.value) if value.kind == "scalar" else ""
            if name not in metrics:
                raise self.error(value, f"unknown metric '{name}' for the tempo (metrics: {', '.join(metrics)})",
                                 where, did_you_mean(name, metrics))
            by_view[view] = name
        missing = [v for v in views if v not in by_view]
        if missing:
            raise self.error(node, f"name a tempo metric for every view of the exercise; missing: "
                             f"{', '.join(missing)}", "rep.tempo")
        return by_view[views[0]], by_view

    def state_ref(self, r: Reader, key: str, names: list[str], default: str) -> str:
        node = r.raw(key)
        if node is None:
            return default
        value = str(node.value) if node.kind == "scalar" else ""
        if value not in names:
            raise self.error(node, f"unknown state '{value}' (states: {', '.join(names)})", f"rep.{key}",
                             did_you_mean(value, names))
        return value

    def hold(self, node: Node) -> HoldDef:
        r = Reader(node, self.file, "hold")
        r.reject_unknown_keys(HOLD_KEYS)
        when = self.expr(r.raw("when", required=True), "hold.when", node)
        self.wheres["hold"] = when.where
        return HoldDef(
            when.text,
            r.number("grace_s", default=HoldDef.grace_s, low=0.0, high=60.0),
            r.number("min_s", default=HoldDef.min_s, low=0.0, high=3600.0),
        )

    def rules(
        self, node: Node | None, section: str, keys: tuple[str, ...], states: tuple[str, ...], views: tuple[str, ...]
    ) -> tuple[RuleDef, ...]:
        if node is None:
            return ()
        if node.kind != "list":
            raise self.error(
                node, f"expected a list of rules (each starting with '- id: ...'), got {describe(node)}", section
            )
        out = []
        for i, item in enumerate(node.value):
            field = f"{section}[{i}]"
            r = Reader(item, self.file, field)
            r.reject_unknown_keys(keys)
            rid = self.ident(r.raw("id", required=True), "rule id", f"{field}.id", allow_reserved=True)
            field = f"{section}.{rid}"
            when = self.expr(r.raw("when", required=True), f"{field}.when", item)
            message = r.string("message", required=True)
            severity = r.choice("severity", SEVERITIES, RuleDef.severity)
            during = r.string_list("during", states) if "during" in keys else ()
            rule_views = r.string_list("views", VIEW_CHOICES)
            for v, vnode in rule_views:
                if v not in views:
                    raise self.error(
                        vnode,
                        f"this rule is for the {v} view, but the exercise lists only {', '.join(views)}: "
                        f"add {v} to views",
                        f"{field}.views",
                    )
            # A rep check has no timing: it judges the finished rep.
            hold_s, release_s = (r.number(k, default=getattr(RuleDef, k), low=0.0, high=60.0) if k in keys else 0.0
                                 for k in ("hold_s", "release_s"))
            out.append(RuleDef(
                id=rid, when=when.text, message=message, severity=severity,
                during=tuple(d for d, _ in during), views=tuple(v for v, _ in rule_views),
                hold_s=hold_s, release_s=release_s,
                penalty=r.number("penalty", default=SEVERITY_PENALTY[severity], low=0.0, high=100.0),
            ))
            self.wheres[section, i] = when.where
        return tuple(out)

    # compiling --------------------------------------------------------------------------------
    def view_requires(self, node: Node | None, views: tuple[str, ...]) -> dict[str, tuple[tuple[str, Node], ...]]:
        """`view_requires: {VIEW: [keypoints]}`: what must be visible in that view instead of `requires`."""
        if node is None:
            return {}
        r = Reader(node, self.file, "view_requires")
        r.reject_unknown_keys(views)
        return {view: r.string_list(view, keypoint_names()) for view in views if r.has(view)}

    def compile_side(
        self, side, params, metrics, rep, hold, form, checks, requires_nodes, view_requires
    ) -> SideProgram:
        names = tuple(metrics)
        frame_scope = Scope(side, params, names)
        compiled_metrics: dict[str, Compiled] = {}
        for i, (name, e) in enumerate(metrics.items()):
            compiled_metrics[name] = compile_expression(
                e.text, Scope(side, params, names[:i], memory=True), e.where, NUM
            )

        def cond(e_text: str, where: Where) -> Compiled:
            return compile_expression(e_text, frame_scope, where, BOOL)

        uses: list[Compiled] = []
        enter, exit_ = [], []
        partial = hold_fn = None
        if rep is not None:
            for s in rep.states:
                ew, xw = self.wheres["state", s.name]
                c = cond(s.enter, ew)
                uses.append(c)
                enter.append(c.fn)
                exit_.append(cond(s.exit, xw).fn if s.exit else None)
            if rep.partial is not None:
                partial = cond(rep.partial.when, self.wheres["partial"]).fn
            uses.append(Compiled(None, NUM, frozenset({rep.signal})))  # type: ignore[arg-type]
        if hold is not None:
            c = cond(hold.when, self.wheres["hold"])
            uses.append(c)
            hold_fn = c.fn
        tests = {x.id: cond(x.when, self.wheres["form", i]).fn for i, x in enumerate(form)}
        check_scope = Scope(side, params, names, keypoints=False, aggregates=True)
        for i, x in enumerate(checks):
            tests[x.id] = compile_expression(x.when, check_scope, self.wheres["rep_checks", i], BOOL).fn

        # Every keypoint the rep/hold conditions read, through the metrics they use.
        moving: set[int] = set()
        for c in uses:
            moving |= c.keypoints
            for m in _metric_closure(c.metrics, compiled_metrics):
                moving |= compiled_metrics[m].keypoints
        if requires_nodes:
            required = tuple(sorted({resolve_keypoint(n, side) for n, _ in requires_nodes}))
        else:
            required = tuple(sorted(moving))  # default: what the conditions read
        by_view = {view: tuple(sorted({resolve_keypoint(n, side) for n, _ in nodes}))
                   for view, nodes in view_requires.items()}
        return SideProgram(
            side=side,
            metrics=tuple((n, c.fn) for n, c in compiled_metrics.items()),
            required=required,
            view_required=MappingProxyType(by_view),
            enter=tuple(enter), exit=tuple(exit_), partial=partial, hold=hold_fn, tests=MappingProxyType(tests),
            angle_joints=MappingProxyType({n: c.angle_joints for n, c in compiled_metrics.items() if c.angle_joints}),
            moving=frozenset(moving),
        )

    def probe_cycle(self, rep: RepDef, metrics: Mapping[str, _Expr], program: SideProgram, params) -> None:
        """Static checks of the cycle along the rep signal: every state reachable, rest and target never true at
        once, the rest state can be left, the partial condition can happen. Conditions that read other metrics
        or keypoints are skipped (they cannot be judged without a pose)."""
        side = program.side
        signal_text = metrics[rep.signal].text.strip()
        bounded = signal_text.startswith(("angle(", "incline("))
        samples = [i * 0.25 for i in range(0, 721)] if bounded else (
            [i * 0.01 for i in range(-1000, 1001)] + [float(i) for i in range(-1000, 1001)]
        )
        names = tuple(metrics)

        def only_signal(text: str, where: Where):
            c = compile_expression(text, Scope(side, params, names), where, BOOL)
            if c.keypoints or c.metrics - {rep.signal}:
                return None
            return c.fn

        def truth(fn) -> list[bool]:
            frame = MetricFrame({}, None, math.nan)
            out = []
            for x in samples:
                frame.metrics = {rep.signal: x}
                out.append(bool(fn(frame)))
            return out

        table = {}
        for s in rep.states:
            ew, xw = self.wheres["state", s.name]
            fn = only_signal(s.enter, ew)
            if fn is None:
                continue
            t = truth(fn)
            if not any(t):
                rng = "0-180" if bounded else "any value"
                raise DefinitionError(
                    f"the state '{s.name}' is unreachable: '{s.enter}' is never true for {rep.signal} in {rng}",
                    file=self.file, line=ew.line, column=ew.col0, field=ew.field,
                )
            table[s.name] = t
            if s.exit:
                xfn = only_signal(s.exit, xw)
                if xfn is not None:
                    x = truth(xfn)
                    if any(a and b for a, b in zip(t, x)):
                        raise DefinitionError(
                            f"the exit condition '{s.exit}' can be true while the enter condition '{s.enter}' is: "
                            "the state would flicker; make exit the far side of a gap (e.g. enter > 160, exit < 150)",
                            file=self.file, line=xw.line, column=xw.col0, field=xw.field,
                        )
                    if not any(x):
                        raise DefinitionError(
                            f"the exit condition '{s.exit}' is never true: the state '{s.name}' could never be left",
                            file=self.file, line=xw.line, column=xw.col0, field=xw.field,
                        )
        if rep.rest in table and rep.target in table:
            if any(a and b for a, b in zip(table[rep.rest], table[rep.target])):
                ew, _ = self.wheres["state", rep.target]
                raise DefinitionError(
                    f"the rest state '{rep.rest}' and the target state '{rep.target}' can be true at the same time, "
                    "so the rep cycle cannot complete: leave a gap between their thresholds",
                    file=self.file,
                    line=ew.line,
                    column=ew.col0,
                    field=ew.field,
                )
        if rep.partial is not None:
            w = self.wheres["partial"]
            fn = only_signal(rep.partial.when, w)
            if fn is not None and not any(truth(fn)):
                raise DefinitionError(f"the partial condition '{rep.partial.when}' is never true", file=self.file,
                                      line=w.line, column=w.col0, field=w.field)


def _metric_closure(used: frozenset[str], compiled: Mapping[str, Compiled]) -> set[str]:
    """Metrics used directly or through other metrics."""
    out: set[str] = set()
    todo = list(used)
    while todo:
        m = todo.pop()
        if m in out or m not in compiled:
            continue
        out.add(m)
        todo.extend(compiled[m].metrics)
    return out


def _sideless(index: int) -> str:
    from fitness.pose.types import KEYPOINT_NAMES

    name = KEYPOINT_NAMES[index]
    for prefix in ("left_", "right_"):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _override_value(exercise: str, params: Mapping[str, ParamDef], key: str, value: Any) -> float:
    """A `--set key=value` checked against the param's range (ParamDef.problem, the same check as levels)."""
    shown = _shown(value)
    if key not in params:
        raise DefinitionError(
            f"--set {key}={shown}: unknown param '{key}' (params of {exercise}: {', '.join(params) or 'none'})",
            suggestion=did_you_mean(key, params),
        )
    try:
        x = float(value)
    except OverflowError:  # an int beyond any float: as out of range as infinity
        x = math.inf if value > 0 else -math.inf
    except (TypeError, ValueError):
        raise DefinitionError(f"--set {key}={shown}: expected a number") from None
    problem = params[key].problem(x)
    if problem is not None:
        raise DefinitionError(f"--set {key}={shown}: {problem}")
    return x


def _shown(value: Any) -> str:
    """An override's value as the user would have typed it, cut short when absurdly long."""
    if isinstance(value, float):
        return f"{value:g}"
    try:
        text = str(value)
    except ValueError:  # an int of more than 4300 digits
        return "(a number too long to show)"
    return text if len(text) <= 40 else f"{text[:20]}...({len(text)} characters)"
