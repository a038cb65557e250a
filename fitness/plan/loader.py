"""Load workout plan YAML into validated `Plan`s, with the exercise files' error quality: every problem is one
DefinitionError naming `file:line:col`, the field (`blocks[2].reps`), what was expected and a did-you-mean.

Each block's exercise is loaded (so a plan never names an exercise that does not exist or does not load), and its
level and `set:` overrides are checked against that exercise's levels and param ranges, as `fitness run --level /
--set` are. Search order for a plan name: an explicit path, the user folder (`fitness.paths.user_plans_dir()`),
then the shipped plans (the package folder fitness/plan/plans).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from fitness import paths
from fitness.errors import DefinitionError
from fitness.exercise.definition import ExerciseDefinition
from fitness.exercise.loader import NAME_RE, exercise_files, load_exercise
from fitness.exercise.yamlsrc import Node, Reader, describe, number_of, parse_yaml
from fitness.plan.model import LOAD_UNITS, Block, Load, Plan
from fitness.spelling import did_you_mean

TOP_KEYS = ("name", "title", "description", "rest_s", "blocks")
BLOCK_KEYS = ("exercise", "sets", "reps", "hold_s", "rest_s", "level", "set", "weight")
# Ranges a plan's numbers must lie in: generous for real training, tight enough to catch a slip (300 for 30).
MAX_BLOCKS = 50
MAX_SETS = 20
MAX_REPS = 200
HOLD_RANGE_S = (1.0, 600.0)  # a plank of 1 s to 10 min
REST_RANGE_S = (0.0, 600.0)
DEFAULT_REST_S = 60.0  # rest after each set when neither the block nor the plan says
MAX_LOAD = {"kg": 500.0, "lb": 1100.0}
_WEIGHT = re.compile(r"^\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([A-Za-z]+)\s*$")


# ---------------------------------------------------------------------------------------------------
# Finding files
# ---------------------------------------------------------------------------------------------------
def builtin_plans_dir() -> Path:
    return Path(__file__).resolve().parent / "plans"


def plan_files() -> dict[str, tuple[Path, bool]]:
    """name -> (file, built-in?) for every plan file in the search folders (the user's folder hides built-ins)."""
    found: dict[str, tuple[Path, bool]] = {}
    builtin = builtin_plans_dir()
    for folder in (paths.user_plans_dir(), builtin):
        if folder.is_dir():
            for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
                found.setdefault(path.stem, (path, folder == builtin))
    return found


def find_plan(name: str | Path) -> Path:
    """The plan file for a name or path; DefinitionError with a suggestion when there is none."""
    text = str(name)
    if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
        candidate = Path(text).expanduser()
        if candidate.is_file():
            return candidate
        raise DefinitionError(f"no plan file at '{text}': check the path")
    known = plan_files()
    if text in known:
        return known[text][0]
    hint = did_you_mean(text, known) or f"known: {', '.join(sorted(known)) or 'none'}"
    raise DefinitionError(f"unknown plan '{text}' ({hint}; see 'fitness plans list')")


@dataclass(frozen=True)
class PlanInfo:
    """One plan found on disk, for listings."""

    name: str
    title: str
    path: Path
    blocks: int
    builtin: bool = False


def list_plans(extra_dirs: Iterable[str | Path] = ()) -> tuple[list[PlanInfo], list[DefinitionError]]:
    """Every plan in the search folders that loads (by name), and the error of each one that does not."""
    infos, problems = [], []
    for path, builtin in plan_files().values():
        try:
            plan = load_plan(path, extra_dirs)
        except DefinitionError as exc:
            problems.append(exc)
            continue
        infos.append(PlanInfo(plan.name, plan.title, path, len(plan.blocks), builtin))
    return sorted(infos, key=lambda i: i.name), problems


def load_plan(name: str | Path, extra_dirs: Iterable[str | Path] = ()) -> Plan:
    """Find, read and validate a plan (and load every exercise it names)."""
    path = find_plan(name)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError(f"cannot read the file: {exc}", file=str(path)) from None
    return parse_plan(text, file=str(path), path=path, extra_dirs=extra_dirs)


def parse_plan(
    text: str, file: str | None = None, path: Path | None = None, extra_dirs: Iterable[str | Path] = ()
) -> Plan:
    """Validate YAML text as a plan; exercise files named by a relative path are found beside `path`."""
    try:
        return _PlanParser(file, path, tuple(extra_dirs)).parse(parse_yaml(text, file))
    except RecursionError:
        raise DefinitionError("the plan is nested too deeply", file=file) from None


# ---------------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------------
class _PlanParser:
    def __init__(self, file: str | None, path: Path | None, extra_dirs: tuple[str | Path, ...]) -> None:
        self.file = file
        self.path = path
        self.extra_dirs = extra_dirs

    def error(self, node: Node, message: str, field: str | None = None, suggestion: str | None = None):
        return DefinitionError(message, file=self.file, line=node.line, column=node.column, field=field,
                               suggestion=suggestion)

    def parse(self, root: Node) -> Plan:
        r = Reader(root, self.file)
        self.known_keys(r, TOP_KEYS)
        name_node = r.raw("name")
        if name_node is not None:
            name = r.string("name")
            if not NAME_RE.match(name):
                raise self.error(name_node, f"a plan name is lowercase letters, digits and _ (at most 40), got "
                                            f"{describe(name_node)}", "name")
        else:
            name = self.path.stem if self.path is not None else "plan"
        title = r.string("title", default=name.replace("_", " ").capitalize())
        description = r.string("description", default="")
        rest_s = r.number("rest_s", default=DEFAULT_REST_S, low=REST_RANGE_S[0], high=REST_RANGE_S[1])
        blocks_node = r.raw("blocks", required=True)
        if blocks_node.kind != "list":
            raise self.error(blocks_node, f"expected a list of blocks (- exercise: ...), got {describe(blocks_node)}",
                             "blocks")
        if not blocks_node.value:
            raise self.error(blocks_node, "list at least one block (- exercise: squats, sets: 3, reps: 10)", "blocks")
        if len(blocks_node.value) > MAX_BLOCKS:
            raise self.error(blocks_node, f"a plan has at most {MAX_BLOCKS} blocks, got {len(blocks_node.value)}",
                             "blocks")
        blocks = tuple(self.block(node, f"blocks[{i}]", rest_s) for i, node in enumerate(blocks_node.value))
        return Plan(name=name, title=title, blocks=blocks, description=description, path=self.path)

    def known_keys(self, r: Reader, allowed: tuple[str, ...]) -> None:
        """Reader.reject_unknown_keys, and for a time without its unit (`rest: 60`) the key with it."""
        for key, key_node in r.node.key_nodes.items():
            if key not in allowed and f"{key}_s" in allowed:
                raise r.error(key_node, f"unknown key '{key}' (allowed here: {', '.join(allowed)})",
                              field=r.field_name(key), suggestion=f"did you mean '{key}_s'? (in seconds)")
        r.reject_unknown_keys(allowed)

    def block(self, node: Node, field: str, default_rest_s: float) -> Block:
        r = Reader(node, self.file, field)
        self.known_keys(r, BLOCK_KEYS)
        source_node = r.raw("exercise", required=True)
        source = r.string("exercise")
        definition = self.exercise(source, source_node, f"{field}.exercise")
        sets = self.whole(r, "sets", 1, MAX_SETS, default=1)
        reps, hold_s = None, None
        if definition.hold is not None:
            if r.has("reps"):
                raise self.error(r.raw("reps"), f"{definition.name} is a hold: give hold_s (seconds per set), not "
                                                 "reps", f"{field}.reps")
            hold_s = r.number("hold_s", required=True, low=HOLD_RANGE_S[0], high=HOLD_RANGE_S[1])
        else:
            if r.has("hold_s"):
                raise self.error(r.raw("hold_s"), f"{definition.name} counts reps: give reps, not hold_s",
                                 f"{field}.hold_s")
            reps = self.whole(r, "reps", 1, MAX_REPS, required=True)
        rest_s = r.number("rest_s", default=default_rest_s, low=REST_RANGE_S[0], high=REST_RANGE_S[1])
        level = self.level(r, definition, field)
        overrides = self.overrides(r.raw("set"), definition, f"{field}.set")
        load = self.load(r.raw("weight"), f"{field}.weight")
        return Block(exercise=definition.name, source=source, sets=sets, reps=reps, hold_s=hold_s, rest_s=rest_s,
                     level=level, overrides=MappingProxyType(overrides), load=load, path=definition.path)

    def whole(self, r: Reader, key: str, low: int, high: int, default: int | None = None,
              required: bool = False) -> int:
        node = r.raw(key, required)
        if node is None:
            return default  # type: ignore[return-value]
        x = number_of(node, self.file, r.field_name(key), low, high)
        if not float(x).is_integer():
            raise self.error(node, f"expected a whole number, got {x:g}", r.field_name(key))
        return int(x)

    def exercise(self, source: str, node: Node, field: str) -> ExerciseDefinition:
        """The block's exercise, loaded: a library name (with did-you-mean) or a YAML file beside the plan."""
        is_file = source.endswith((".yaml", ".yml")) or "/" in source or "\\" in source
        if is_file:
            target = Path(source).expanduser()
            if not target.is_absolute() and self.path is not None:
                target = self.path.parent / target
            if not target.is_file():
                raise self.error(node, f"no exercise file at '{source}' (relative paths start at the plan's folder)",
                                 field)
        else:
            known = exercise_files(self.extra_dirs)
            if source not in known:
                hint = did_you_mean(source, known)
                listing = "" if hint else f" (known: {', '.join(sorted(known))})"
                raise self.error(node, f"unknown exercise '{source}'{listing}; see 'fitness exercises list'", field,
                                 suggestion=hint)
            target = known[source][0]
        try:
            return load_exercise(target, self.extra_dirs)
        except DefinitionError as exc:
            raise self.error(node, f"exercise '{source}' does not load: {exc}", field) from None

    def level(self, r: Reader, definition: ExerciseDefinition, field: str) -> str | None:
        node = r.raw("level")
        if node is None:
            return None
        if node.kind != "scalar" or not isinstance(node.value, str):
            raise self.error(node, f"expected a level name, got {describe(node)}", f"{field}.level")
        if node.value not in definition.levels:
            levels = ", ".join(definition.levels) or "none"
            raise self.error(node, f"unknown level '{node.value}' (levels of {definition.name}: {levels})",
                             f"{field}.level", suggestion=did_you_mean(node.value, definition.levels))
        return node.value

    def overrides(self, node: Node | None, definition: ExerciseDefinition, field: str) -> dict[str, float]:
        """`set: {param: number}`: like `--set`, each param must exist and stay within its range."""
        if node is None:
            return {}
        if node.kind != "map":
            hint = " (the number of sets is 'sets')" if node.kind == "scalar" else ""
            raise self.error(node, f"expected a mapping of param names to numbers{hint}, got {describe(node)}", field)
        out = {}
        params = definition.param_defs
        for key, value in node.value.items():
            if key not in params:
                raise self.error(node.key_nodes[key], f"unknown param '{key}' (params of {definition.name}: "
                                 f"{', '.join(params) or 'none'})", f"{field}.{key}",
                                 suggestion=did_you_mean(key, params))
            x = number_of(value, self.file, f"{field}.{key}")
            problem = params[key].problem(x)
            if problem is not None:
                raise self.error(value, problem, f"{field}.{key}")
            out[key] = x
        return out

    def load(self, node: Node | None, field: str) -> Load | None:
        """`weight: 12 kg` / `25 lb` (the unit is required: a bare number would be ambiguous)."""
        if node is None:
            return None
        if node.kind == "scalar" and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            raise self.error(node, f"give the unit too, e.g. '{node.value:g} kg' or '{node.value:g} lb'", field)
        match = _WEIGHT.match(node.value) if node.kind == "scalar" and isinstance(node.value, str) else None
        if match is None:
            raise self.error(node, f"expected a weight like '12 kg' or '25 lb', got {describe(node)}", field)
        amount, unit = float(match.group(1)), match.group(2).lower()
        if unit not in LOAD_UNITS:
            raise self.error(node, f"unknown unit '{match.group(2)}' (expected kg or lb)", field,
                             suggestion=did_you_mean(unit, LOAD_UNITS))
        if not 0 < amount <= MAX_LOAD[unit] or not math.isfinite(amount):
            raise self.error(node, f"expected a weight above 0 and at most {MAX_LOAD[unit]:g} {unit}, got "
                             f"{amount:g} {unit} (leave weight out for bodyweight)", field)
        return Load(amount, unit)
