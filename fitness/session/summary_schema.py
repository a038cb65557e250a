"""A `fitness summary --json` document from an untrusted file: parsed, checked field by field against what
the export writes, then turned into a WorkoutSummary.

The first problem found is one HistoryError line naming the file and the JSON path of the field, e.g.
`s.json: rep_details[3].index: duplicate rep index 2`. Unknown keys are ignored (newer versions may add
keys); nothing is stored unless the whole document is valid.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from fitness.errors import HistoryError
from fitness.session.summary import SCHEMA_VERSION, WORKOUT_KINDS, WorkoutSummary
from fitness.text import control_chars, printable

# A real summary (2000 trace points, hundreds of reps) is well under 1 MB.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_INT = 2**53 - 1  # whole numbers every JSON reader holds exactly
MAX_SECONDS = 1e9  # times and durations (about 30 years)
MAX_MAGNITUDE = 1e12  # signal values and exercise parameters
MAX_FPS = 10_000.0
MAX_KG = 1e6  # a plan block's load and a workout's volume (reps x load)
NAME_CHARS = 100  # exercise, rule, phase, side and signal names
TITLE_CHARS = 200  # title, model
SOURCE_CHARS = 4096  # a file path or camera description
EXPECTED = "expected a file written by 'fitness summary --json'"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _NonFinite(str):
    """NaN, Infinity or -Infinity in the file (json's parse_constant), kept so the error can say where."""


class _Invalid(Exception):
    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}" if path else problem)


def _key_path(path: str, key: str) -> str:
    """`rep_details[3].index`; keys that are not identifiers as `issues["knee in"]` (JSON-escaped)."""
    if not _IDENTIFIER.match(key):
        return f"{path}[{json.dumps(key)}]"
    return f"{path}.{key}" if path else key


def _show(value: Any) -> str:
    """A short, terminal-safe description of a JSON value for an error message."""
    if isinstance(value, _NonFinite):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        digits = len(str(abs(value)))
        return f"a {digits}-digit number" if digits > 15 else str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        # json.dumps escapes control characters and everything outside ASCII.
        return "a string " + json.dumps(value[:40] + ("…" if len(value) > 40 else ""))
    return "an array" if isinstance(value, list) else "an object"


# -- field checks: each raises _Invalid(path, problem) ----------------------------------------------------
def _object(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _Invalid(path, f"expected an object, got {_show(value)}")
    return value


def _array(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Invalid(path, f"expected an array, got {_show(value)}")
    return value


def _boolean(value: Any, path: str) -> None:
    if not isinstance(value, bool):
        raise _Invalid(path, f"expected true or false, got {_show(value)}")


def _integer(value: Any, path: str, minimum: int = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(path, f"expected a whole number, got {_show(value)}")
    if not minimum <= value <= MAX_INT:
        raise _Invalid(path, f"must be between {minimum} and {MAX_INT}, got {_show(value)}")


def _number(value: Any, path: str, low: float, high: float, *, null: bool = False, what: str = "a number") -> None:
    if value is None and null:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or isinstance(value, _NonFinite):
        raise _Invalid(path, f"expected {what}{' or null' if null else ''}, got {_show(value)}")
    if isinstance(value, int) and abs(value) > MAX_INT:  # float() of it may overflow
        raise _Invalid(path, f"must be between {low:g} and {high:g}, got {_show(value)}")
    if not low <= float(value) <= high:  # also false for the inf of 1e999
        raise _Invalid(path, f"must be between {low:g} and {high:g}, got {_show(value)}")


def _seconds(value: Any, path: str, *, null: bool = False) -> None:
    _number(value, path, 0.0, MAX_SECONDS, null=null, what="a number of seconds")


def _text(value: Any, path: str, max_chars: int, *, null: bool = False, empty: bool = True) -> None:
    if value is None and null:
        return
    if not isinstance(value, str):
        raise _Invalid(path, f"expected a string{' or null' if null else ''}, got {_show(value)}")
    _clean(value, path, max_chars, empty=empty)


def _clean(value: str, path: str, max_chars: int, *, empty: bool = True) -> None:
    if not value and not empty:
        raise _Invalid(path, "must not be empty")
    if len(value) > max_chars:
        raise _Invalid(path, f"is {len(value)} characters long; at most {max_chars} are allowed")
    bad = control_chars(value)
    if bad:
        raise _Invalid(path, f"contains control characters ({' '.join(bad)}), which would garble a terminal")
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise _Invalid(path, "contains a lone UTF-16 surrogate (not valid Unicode)")


def _datetime(value: Any, path: str) -> None:
    _text(value, path, 64, empty=False)
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise _Invalid(
            path, f"expected an ISO 8601 date-time like 2024-05-31T07:30:00+00:00, got {_show(value)}"
        ) from None


def _mapping(value: Any, path: str, check_value: Callable[[Any, str], None]) -> None:
    """An object whose keys are names (NAME_CHARS, no control characters) and whose values pass check_value."""
    for key, item in _object(value, path).items():
        where = _key_path(path, key)
        _clean(key, where, NAME_CHARS, empty=False)
        check_value(item, where)


class _Fields:
    """Look-ups in one JSON object with the path of each field."""

    def __init__(self, value: Any, path: str) -> None:
        self.obj = _object(value, path)
        self.path = path

    def at(self, key: str) -> str:
        return _key_path(self.path, key)

    def check(self, key: str, check: Callable[[Any, str], None], *, required: bool = False) -> Any:
        if key not in self.obj:
            if required:
                raise _Invalid(self.at(key), "missing key (every summary has it)")
            return None
        check(self.obj[key], self.at(key))
        return self.obj[key]


def _schema_version(value: Any, path: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= SCHEMA_VERSION:
        raise _Invalid(
            path, f"summary schema_version {_show(value)}, this fitness reads 1 to {SCHEMA_VERSION}; upgrade fitness"
        )


def _index_and_span(f: _Fields, seen: set[int], what: str) -> None:
    """A rep's or set's index (unique, from 1) and its start and end times (end not before start)."""
    index = f.check("index", lambda v, p: _integer(v, p, minimum=1), required=True)
    if index in seen:
        raise _Invalid(f.at("index"), f"duplicate {what} index {index}")
    seen.add(index)
    start = f.check("start_t", _seconds, required=True)
    end = f.check("end_t", _seconds, required=True)
    if end < start:
        raise _Invalid(f.at("end_t"), f"the {what} ends ({end:g} s) before it starts ({start:g} s)")


def _rep(value: Any, path: str, seen: set[int]) -> None:
    f = _Fields(value, path)
    _index_and_span(f, seen, "rep")
    f.check("duration_s", _seconds)
    f.check("counted", _boolean, required=True)
    f.check("phases", lambda v, p: _mapping(v, p, lambda x, q: _seconds(x, q, null=True)))
    rom = f.check("rom", _array)
    if rom is not None:
        if len(rom) != 2:
            raise _Invalid(f.at("rom"), f"expected [lowest, highest], got an array of {len(rom)}")
        for i, x in enumerate(rom):
            _number(x, f"{f.at('rom')}[{i}]", -MAX_MAGNITUDE, MAX_MAGNITUDE, null=True)
        if None not in rom and rom[0] > rom[1]:
            raise _Invalid(f.at("rom"), f"lowest {rom[0]:g} is above highest {rom[1]:g}")
    issues = f.check("issues", _array)
    for i, rule in enumerate(issues or ()):
        _text(rule, f"{f.at('issues')}[{i}]", NAME_CHARS, empty=False)
    f.check("score", lambda v, p: _number(v, p, 0.0, 100.0, null=True))
    f.check("reason", lambda v, p: _text(v, p, NAME_CHARS, null=True))
    f.check("side", lambda v, p: _text(v, p, NAME_CHARS, null=True))
    f.check("set_index", lambda v, p: _integer(v, p, minimum=1))
    f.check("signal", lambda v, p: _text(v, p, NAME_CHARS))
    f.check("exercise", lambda v, p: _text(v, p, NAME_CHARS))


def _set(value: Any, path: str, seen: set[int]) -> None:
    f = _Fields(value, path)
    _index_and_span(f, seen, "set")
    f.check("reps", _integer, required=True)
    f.check("no_reps", _integer, required=True)
    f.check("exercise", lambda v, p: _text(v, p, NAME_CHARS))
    f.check("rest_before_s", lambda v, p: _seconds(v, p, null=True))
    f.check("hold_s", lambda v, p: _seconds(v, p, null=True))
    seen_reps: set[int] = set()
    for i, rep in enumerate(f.check("rep_details", _array) or ()):
        _rep(rep, f"{f.at('rep_details')}[{i}]", seen_reps)


def _trace(value: Any, path: str) -> None:
    f = _Fields(value, path)
    if not f.obj:
        return
    extra = sorted(set(f.obj) - {"signal", "t", "value"})
    if extra:  # the trace is stored as it is, so only its own keys may be in it
        raise _Invalid(f.at(extra[0]), "unexpected key in the trace (it holds signal, t and value)")
    f.check("signal", lambda v, p: _text(v, p, NAME_CHARS))
    times = f.check("t", _array, required=True)
    values = f.check("value", _array, required=True)
    if len(times) != len(values):
        raise _Invalid(f.at("value"), f"has {len(values)} values for {len(times)} times")
    for i, t in enumerate(times):
        _seconds(t, f"{f.at('t')}[{i}]")
    for i, x in enumerate(values):
        _number(x, f"{f.at('value')}[{i}]", -MAX_MAGNITUDE, MAX_MAGNITUDE, null=True)


def _kind(value: Any, path: str) -> None:
    if value not in WORKOUT_KINDS:
        raise _Invalid(path, f"expected one of {', '.join(WORKOUT_KINDS)}, got {_show(value)}")


def _plan_block(value: Any, path: str, seen: set[int]) -> None:
    f = _Fields(value, path)
    index = f.check("index", _integer, required=True)
    if index in seen:
        raise _Invalid(f.at("index"), f"duplicate block index {index}")
    seen.add(index)
    f.check("exercise", lambda v, p: _text(v, p, NAME_CHARS, empty=False), required=True)
    f.check("planned_sets", _integer, required=True)
    reps = f.check("planned_reps", lambda v, p: _integer(v, p) if v is not None else None)
    f.check("planned_hold_s", lambda v, p: _seconds(v, p, null=True))
    f.check("load_kg", lambda v, p: _number(v, p, 0.0, MAX_KG, null=True))
    for i, set_index in enumerate(f.check("sets", _array) or ()):
        _integer(set_index, f"{f.at('sets')}[{i}]", minimum=1)
    for i, done in enumerate(f.check("done", _array) or ()):
        if reps is not None:  # counted reps per set; for a hold, seconds held
            _integer(done, f"{f.at('done')}[{i}]")
        else:
            _seconds(done, f"{f.at('done')}[{i}]")
    f.check("done_sets", _integer)
    f.check("complete", _boolean)
    f.check("volume_kg", lambda v, p: _number(v, p, 0.0, MAX_KG * MAX_INT, null=True))


def _plan(value: Any, path: str) -> None:
    """The planned vs done object of a plan workout (fitness.plan.tracker.PlanResult.to_dict)."""
    if value is None:
        return
    f = _Fields(value, path)
    f.check("name", lambda v, p: _text(v, p, NAME_CHARS, empty=False), required=True)
    f.check("title", lambda v, p: _text(v, p, TITLE_CHARS))
    seen: set[int] = set()
    for i, block in enumerate(f.check("blocks", _array, required=True)):
        _plan_block(block, f"{f.at('blocks')}[{i}]", seen)
    for i, set_index in enumerate(f.check("extra_sets", _array) or ()):
        _integer(set_index, f"{f.at('extra_sets')}[{i}]", minimum=1)
    f.check("complete", _boolean)
    f.check("volume_kg", lambda v, p: _number(v, p, 0.0, MAX_KG * MAX_INT))


def _person(value: Any, path: str, seen: set[int]) -> None:
    """One person of a `fitness run --people` summary (fitness.run.people.PersonResult.to_dict)."""
    f = _Fields(value, path)
    person = f.check("id", _integer, required=True)
    if person in seen:
        raise _Invalid(f.at("id"), f"duplicate person id {person}")
    seen.add(person)
    f.check("name", lambda v, p: _text(v, p, NAME_CHARS, null=True))
    f.check("reps", _integer, required=True)
    f.check("no_reps", _integer)
    seen_reps: set[int] = set()
    for i, rep in enumerate(f.check("rep_details", _array) or ()):
        _rep(rep, f"{f.at('rep_details')}[{i}]", seen_reps)
    first = f.check("first_seen_s", _seconds)
    last = f.check("last_seen_s", _seconds)
    if first is not None and last is not None and last < first:
        raise _Invalid(f.at("last_seen_s"), f"last seen ({last:g} s) before first seen ({first:g} s)")


def _track_row(value: Any, path: str) -> None:
    """`[t_s, id, [x0, y0, x1, y1]]`: where one tracked person was in one frame (pixels)."""
    row = _array(value, path)
    if len(row) != 3:
        raise _Invalid(path, f"expected [t_s, id, [x0, y0, x1, y1]], got an array of {len(row)}")
    _seconds(row[0], f"{path}[0]")
    _integer(row[1], f"{path}[1]")
    box = _array(row[2], f"{path}[2]")
    if len(box) != 4:
        raise _Invalid(f"{path}[2]", f"expected [x0, y0, x1, y1], got an array of {len(box)}")
    for i, x in enumerate(box):
        _number(x, f"{path}[2][{i}]", -MAX_MAGNITUDE, MAX_MAGNITUDE)
    if box[0] > box[2] or box[1] > box[3]:
        raise _Invalid(f"{path}[2]", f"the box's far corner ({box[2]:g}, {box[3]:g}) is left of or above "
                                     f"its near one ({box[0]:g}, {box[1]:g})")


def check_summary(data: Any) -> None:
    """Raise _Invalid at the first field that `fitness summary --json` would not have written."""
    if not isinstance(data, dict):
        raise _Invalid("", f"holds {_show(data)}, not an object")
    f = _Fields(data, "")
    f.check("schema_version", _schema_version)
    f.check("id", lambda v, p: _integer(v, p) if v is not None else None)
    f.check("exercise", lambda v, p: _text(v, p, NAME_CHARS, empty=False), required=True)
    f.check("title", lambda v, p: _text(v, p, TITLE_CHARS))
    f.check("source", lambda v, p: _text(v, p, SOURCE_CHARS))
    f.check("model", lambda v, p: _text(v, p, TITLE_CHARS))
    f.check("started_at", _datetime, required=True)
    f.check("duration_s", _seconds, required=True)
    f.check("frames", _integer, required=True)
    f.check("fps", lambda v, p: _number(v, p, 0.0, MAX_FPS, null=True))
    f.check("reps", _integer, required=True)
    f.check("no_reps", _integer)
    f.check("reps_by_side", lambda v, p: _mapping(v, p, _integer))
    f.check("hold_s", lambda v, p: _seconds(v, p, null=True))
    seen_reps: set[int] = set()
    for i, rep in enumerate(f.check("rep_details", _array) or ()):
        _rep(rep, f"{f.at('rep_details')}[{i}]", seen_reps)
    f.check("issues", lambda v, p: _mapping(v, p, _integer))
    seen_sets: set[int] = set()
    for i, st in enumerate(f.check("sets", _array) or ()):
        _set(st, f"{f.at('sets')}[{i}]", seen_sets)
    f.check("params", lambda v, p: _mapping(v, p, lambda x, q: _number(x, q, -MAX_MAGNITUDE, MAX_MAGNITUDE)))
    f.check("trace", _trace)
    f.check("interrupted", _boolean)
    f.check("kind", _kind)
    f.check("plan", _plan)
    f.check("group_id", lambda v, p: _integer(v, p, minimum=1) if v is not None else None)
    f.check("person", lambda v, p: _text(v, p, NAME_CHARS, null=True))
    seen_people: set[int] = set()  # `fitness run --people` adds everyone counted and where they were
    for i, person in enumerate(f.check("people", _array) or ()):
        _person(person, f"{f.at('people')}[{i}]", seen_people)
    for i, row in enumerate(f.check("tracks", _array) or ()):
        _track_row(row, f"{f.at('tracks')}[{i}]")


def summary_from_json(text: str, source: str = "JSON") -> WorkoutSummary:
    """Parse and check a `fitness summary --json` document; any problem is one HistoryError line."""
    source = printable(source)
    try:
        data = json.loads(text, parse_constant=_NonFinite)
    except RecursionError:
        raise HistoryError(f"{source}: nested too deeply to be a workout summary; {EXPECTED}") from None
    except json.JSONDecodeError as exc:
        raise HistoryError(f"{source} is not valid JSON ({exc}); {EXPECTED}") from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        problem = "a number has too many digits" if "digits" in str(exc) else str(exc)
        raise HistoryError(f"{source} is not readable JSON ({problem}); {EXPECTED}") from None
    try:
        check_summary(data)
    except _Invalid as exc:
        raise HistoryError(f"{source}: {exc}") from None
    return WorkoutSummary.from_dict(data)


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 2**20:.0f} MB" if n_bytes >= 2**20 else f"{n_bytes} bytes"


def read_summary_file(path: Path) -> WorkoutSummary:
    """Read, parse and check a summary file of at most MAX_FILE_BYTES."""
    shown = printable(str(path))
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise HistoryError(f"cannot read {shown}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise HistoryError(
            f"{shown} is larger than {_size(MAX_FILE_BYTES)}, far more than any workout summary; {EXPECTED}"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HistoryError(f"{shown} is not UTF-8 text (byte {exc.start}); {EXPECTED}") from None
    return summary_from_json(text, source=str(path))
