"""`fitness serve` (the history in a browser) and `fitness report ID --html FILE` (one session's report as one
self-contained HTML file)."""

from __future__ import annotations

import sys
from pathlib import Path

from fitness import paths
from fitness.errors import HistoryError
from fitness.session.analysis import TREND_SESSIONS
from fitness.session.export import write_text
from fitness.session.outputs import check_outputs, history_files
from fitness.session.store import HistoryStore
from fitness.text import printable


def _db(args) -> Path:
    return Path(args.db).expanduser() if getattr(args, "db", None) else paths.history_db()


def report(args) -> int:
    db = _db(args)
    check_outputs({"--html": args.html}, history_files(db))
    if not db.exists():
        raise HistoryError(f"no session {args.id}: the history {db} does not exist yet")
    with HistoryStore.open(db) as store:
        session = store.resolve(args.id)
        if session is None:
            raise HistoryError(f"no sessions in the history {db} yet")
        earlier = store.earlier(session, limit=TREND_SESSIONS)
        thumbnails = store.thumbnails(session.id)
    from fitness.web.report import session_report  # matplotlib only here

    written = write_text(session_report(session, earlier, thumbnails=thumbnails), args.html)
    print(f"Report of session {session.id} written to {printable(str(written))}")
    return 0


def serve(args) -> int:
    from fitness.web.history_app import create_history_app
    from fitness.web.server import LiveServer

    db = _db(args)
    if not db.exists():
        raise HistoryError(f"no history at {db} yet: record a session with 'fitness run EXERCISE --camera 0'")
    server = LiveServer(args.address, app_factory=lambda token: create_history_app(db, token)).start()
    server.announce(sys.stdout)
    print("Ctrl-C stops it.", flush=True)
    server.wait()
    return 0
