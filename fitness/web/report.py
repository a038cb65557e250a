"""One session's report as a single self-contained HTML page (inline CSS, the chart and the reps' key-frame
thumbnails embedded as data URIs): the summary, sets, the rep table, form issues and the trend against earlier
sessions. `fitness report ID --html FILE` writes it; `fitness serve` serves it, with the list of sessions and the
trends across them."""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Mapping, Sequence

from fitness.session.analysis import Trend, concentric_s, eccentric_s, rep_signal, rom_range, trends
from fitness.session.store import SessionInfo
from fitness.session.summary import WorkoutSummary, local_time
from fitness.units import fixed, format_range, format_value, metric_label, signed

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 72rem;
       padding: 0 1rem; color: #1d1d1f; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
.meta { color: #666; } .big { font-size: 3rem; font-weight: 800; color: #1f9d3a; }
table { border-collapse: collapse; margin-top: 0.5rem; } th, td { padding: 0.3rem 0.7rem; text-align: right; }
th { border-bottom: 2px solid #ccc; } tr:nth-child(even) td { background: #f4f4f6; }
td.l, th.l { text-align: left; } .no { color: #c0392b; font-weight: 600; } .ok { color: #1f9d3a; }
img.chart { max-width: 100%; border: 1px solid #ddd; } a { color: #0a66c2; }
img.thumb { display: block; width: 10rem; height: auto; border-radius: 4px; }
"""


def esc(x: object) -> str:
    return html.escape(str(x), quote=True)


def _when(started_at: str) -> str:
    stamp = local_time(started_at)
    return f"{stamp:%a} {stamp.day} {stamp:%b %Y, %H:%M}" if stamp is not None else started_at


def _num(x: float | None, digits: int = 1) -> str:
    return fixed(x, digits, "-")


def page(title: str, body: str) -> str:
    return (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{esc(title)}</title>"
            f"<style>{STYLE}</style></head><body>\n{body}\n</body></html>\n")


def png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def jpeg_data_uri(jpeg: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


def _thumb(rep_index: int, jpeg: bytes | None) -> str:
    if jpeg is None:
        return "-"
    return f"<img class=\"thumb\" alt=\"rep {rep_index} at its turnaround\" src=\"{jpeg_data_uri(jpeg)}\">"


def chart_png(summary: WorkoutSummary) -> bytes:
    from fitness.session.plot import render_figure  # matplotlib only when a report is made

    fig = render_figure(summary)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _table(headers: Sequence[tuple[str, bool]], rows: Sequence[Sequence[str]]) -> str:
    """headers: (name, left-aligned); cells are HTML already escaped."""
    left_class = ' class="l"'
    head = "".join(f"<th{left_class if left else ''}>{esc(name)}</th>" for name, left in headers)
    body = "".join(
        "<tr>" + "".join(f"<td{left_class if left else ''}>{cell}</td>" for cell, (_, left) in zip(row, headers))
        + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _trend_row(tr: Trend) -> list[str]:
    digits = 0 if tr.count else 1
    mean_digits = 0 if tr.count and math.isfinite(tr.baseline) and tr.baseline.is_integer() else 1
    return [esc(tr.metric), _num(tr.current, digits), _num(tr.previous, digits), _num(tr.baseline, mean_digits),
            esc(signed(tr.change, digits, "-"))]


def session_report(
    s: WorkoutSummary,
    earlier: Sequence[WorkoutSummary] = (),
    chart: bytes | None = None,
    thumbnails: Mapping[int, bytes] | None = None,
) -> str:
    """The report page. chart: the PNG to embed (None: drawn here with matplotlib); thumbnails: rep index ->
    key-frame JPEG (`HistoryStore.thumbnails`), shown in a first column of the rep table when there are any."""
    thumbnails = thumbnails or {}
    title = s.title or s.exercise
    parts = [f"<h1>Session {esc(s.id if s.id is not None else '')}: {esc(title)}</h1>",
             f"<p class=\"meta\">{esc(_when(s.started_at))} · {esc(s.source)} · {esc(s.model)}"
             f"{' · interrupted' if s.interrupted else ''}</p>",
             f"<p><span class=\"big\" id=\"reps\">{s.reps}</span> reps, {s.no_reps} no-reps in {len(s.sets)} set(s), "
             f"{_num(s.duration_s)} s"
             + (f", held {_num(s.hold_s)} s in good form" if s.hold_s is not None else "") + "</p>"]
    png = chart if chart is not None else chart_png(s)
    parts.append(f"<img class=\"chart\" alt=\"the rep signal over time and each rep's score\" "
                 f"src=\"{png_data_uri(png)}\">")
    if s.sets:
        parts.append("<h2>Sets</h2>" + _table(
            [("set", False), ("reps", False), ("no-reps", False), ("start s", False), ("end s", False)],
            [[str(st.index), str(st.reps), str(st.no_reps), _num(st.start_t), _num(st.end_t)] for st in s.sets]))
    if s.rep_details:
        signal = rep_signal(s)
        rows = []
        for r in s.rep_details:
            result = ("<span class=\"ok\">rep</span>" if r.counted
                      else f"<span class=\"no\">no-rep</span> {esc(r.reason or '')}")
            rows.append([str(r.set_index), str(r.index), esc(r.side or ""), result, _num(r.duration_s),
                         _num(eccentric_s(r)), _num(concentric_s(r)),
                         esc(format_range(r.signal or signal, *r.rom, missing="-")),
                         esc(format_value(r.signal or signal, rom_range(r), missing="-")), _num(r.score, 0),
                         esc(", ".join(r.issues))])
        headers = [("set", False), ("rep", False), ("side", True), ("result", True), ("time s", False),
                   ("down s", False), ("up s", False), ("range", False), ("ROM", False), ("score", False),
                   ("issues", True)]
        if thumbnails:
            headers = [("key frame", True), *headers]
            rows = [[_thumb(r.index, thumbnails.get(r.index)), *row] for r, row in zip(s.rep_details, rows)]
        label = f" · range of motion as {metric_label(signal)}" if signal else ""
        parts.append(f"<h2>Reps{esc(label)}</h2>" + _table(headers, rows))
    if s.issues:
        ranked = sorted(s.issues.items(), key=lambda kv: -kv[1])
        parts.append("<h2>Form issues</h2><ul>" + "".join(f"<li>{esc(rule)} × {n}</li>" for rule, n in ranked)
                     + "</ul>")
    if earlier:
        parts.append(f"<h2>Against your earlier {esc(s.exercise)} sessions</h2>" + _table(
            [("metric", True), ("this session", False), ("previous", False), (f"mean of last {len(earlier)}", False),
             ("change", False)], [_trend_row(tr) for tr in trends(s, earlier)]))
    return page(f"fitness · session {s.id}: {title}", "\n".join(parts))


def sessions_page(sessions: Sequence[SessionInfo], link: str = "session/{id}") -> str:
    """The history list, newest first, each session linking to its report."""
    if not sessions:
        return page("fitness · history", "<h1>History</h1><p>No sessions yet: record one with "
                                         "<code>fitness run EXERCISE --camera 0</code>.</p>")
    rows = [[f"<a href=\"{esc(link.format(id=i.id))}\">{i.id}</a>", esc(_when(i.started_at)),
             esc(i.title or i.exercise), str(i.reps), str(i.no_reps), _num(i.mean_score, 0), _num(i.duration_s)]
            for i in sessions]
    table = _table([("id", False), ("when", True), ("exercise", True), ("reps", False), ("no-reps", False),
                    ("score", False), ("seconds", False)], rows)
    return page("fitness · history", f"<h1>History</h1><p><a href=\"trends\">Trends across sessions</a></p>{table}")


def trends_png(sessions: Sequence[SessionInfo]) -> bytes:
    """Reps per week, by exercise, and the mean form score per session over time."""
    from datetime import timedelta

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 5), dpi=100)
    FigureCanvasAgg(fig)
    top, bottom = fig.subplots(2, 1)
    by_exercise: dict[str, dict] = {}
    for info in sessions:
        stamp = local_time(info.started_at)
        if stamp is None:
            continue
        week = (stamp - timedelta(days=stamp.weekday())).date()
        per_week = by_exercise.setdefault(info.exercise, {})
        per_week[week] = per_week.get(week, 0) + info.reps
        if math.isfinite(info.mean_score):
            bottom.plot([stamp], [info.mean_score], "o", color="#1f77b4", markersize=4)
    for exercise, per_week in sorted(by_exercise.items()):
        weeks = sorted(per_week)
        top.plot(weeks, [per_week[w] for w in weeks], marker="o", label=exercise)
    top.set_ylabel("reps per week", fontsize=8)
    if by_exercise:
        top.legend(fontsize=7, frameon=False)
    bottom.set_ylabel("form score", fontsize=8)
    bottom.set_ylim(0, 100)
    for ax in (top, bottom):
        ax.tick_params(labelsize=7)
    fig.autofmt_xdate()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def trends_page(sessions: Sequence[SessionInfo]) -> str:
    total = sum(i.reps for i in sessions)
    body = (f"<h1>Trends</h1><p><a href=\"./\">All sessions</a></p><p>{len(sessions)} sessions, {total} reps.</p>"
            f"<img class=\"chart\" alt=\"reps per week and form score over time\" "
            f"src=\"{png_data_uri(trends_png(sessions))}\">")
    return page("fitness · trends", body)
