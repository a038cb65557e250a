"""The export files: checked before any work, written whole or not at all, with ordinary permissions."""

from __future__ import annotations

import json
import os
import stat

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fitness.errors import HistoryError, UsageError
from fitness.session import outputs
from fitness.session.export import json_with_rows
from fitness.session.outputs import Protected, check_outputs, write_atomic


def test_a_failed_rename_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    out = tmp_path / "s.csv"
    out.write_text("old")
    monkeypatch.setattr(outputs.os, "replace", lambda *a: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(HistoryError, match="cannot write .*No space left on device; choose another output path"):
        write_atomic(b"new", out)
    assert out.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["s.csv"]


def test_new_files_follow_the_umask_and_replaced_files_keep_their_mode(tmp_path):
    old = os.umask(0o027)
    try:
        write_atomic(b"a", tmp_path / "new.json")
        kept = tmp_path / "kept.json"
        kept.write_text("x")
        kept.chmod(0o600)
        write_atomic(b"b", kept)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and kept.read_bytes() == b"b"


def test_a_symlink_stays_a_link_to_the_new_content(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_atomic(b"new", link)
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_protected_files_are_recognised_through_links(tmp_path):
    db = tmp_path / "history.sqlite3"
    db.write_bytes(b"db")
    (tmp_path / "alias").symlink_to(db)
    os.link(db, tmp_path / "hard")
    for name in ("history.sqlite3", "alias", "hard"):
        with pytest.raises(UsageError, match="is the history"):
            check_outputs({"--csv": str(tmp_path / name)}, [Protected(db, "the history")])
    check_outputs({"--csv": str(tmp_path / "other.csv")}, [Protected(db, "the history")])


_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                       | st.text(max_size=5), lambda inner: st.lists(inner, max_size=3), max_leaves=8)


@given(doc=st.dictionaries(st.text(max_size=5), _values, max_size=4), rows=st.lists(_values, max_size=5))
def test_rows_written_one_a_line_read_back_as_the_document_with_them_last(doc, rows):
    text = json_with_rows(doc, "tracks", rows)
    back = json.loads(text)
    assert back == {**{k: v for k, v in doc.items() if k != "tracks"}, "tracks": rows}
    assert list(back)[-1] == "tracks"
    if rows and doc.keys() - {"tracks"}:
        listed = text[text.index('"tracks": [') :].splitlines()[1:-2]
        assert [json.loads(line.strip().rstrip(",")) for line in listed] == rows
