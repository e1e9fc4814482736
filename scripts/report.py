"""`make report`: one self-contained HTML report of the star schema (works offline: inline CSS and SVG only).

``python -m scripts.report [--warehouse PATH] [--out PATH]`` opens the warehouse read-only (default
``DUCKDB_PATH``, else ``$DATA_DIR/music_tracker.duckdb``) and writes ``$DATA_DIR/exports/report.html``:
the last 24 hours (relative to the latest play), time of day, genres, geography and listening over the years.
Without ``--warehouse``, when that warehouse does not exist but the demo's does (``make demo``:
``data/demo/music_tracker.duckdb``), it writes the demo's report (``data/demo/exports/report.html``) and says
so; when neither exists it says how to get one and exits 2. A warehouse without listens (``make enrich``
before any import) gives a report that says the history is empty and how to fill it (exit 0: a report was
written, and an empty history is a state, not a failure).
Every chart is an ``<svg class="chart" data-chart="NAME">`` with one ``<rect>``/``<circle>`` per datum carrying
``data-label``/``data-value``; a chart without data is an explicit ``<p class="empty" data-chart="NAME">``.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path

import duckdb

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# quintile 1 (least played fifth of the genres) → 5 (most played)
QUINTILE_COLOURS = {1: "#c7e9c0", 2: "#a1d99b", 3: "#74c476", 4: "#31a354", 5: "#006d2c"}
BAR = "#3b6fb6"
TOP = 20

REPO = Path(__file__).resolve().parent.parent
# The folder `make demo` writes (scripts/demo.py reads it from here); RWS_DEMO_DIR overrides where the report
# looks for the demo's warehouse (tests point it at a temporary folder).
DEMO_DIR = REPO / "data" / "demo"
IMPORT_COMMAND = "uv run python -m extractors import PATH…"
HOW_TO_FILL = f"import your listening history (`{IMPORT_COMMAND}`), then run `make enrich`"
NO_WAREHOUSE_ADVICE = f"run `make demo` for the bundled sample's, or {HOW_TO_FILL} to build your own"

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #222;
       background: #f6f7f9; }
header { background: #1f3b63; color: #fff; padding: 1rem 2rem; }
header h1 { margin: 0; font-size: 1.5rem; }
header p { margin: .25rem 0 0; opacity: .8; }
nav { background: #fff; border-bottom: 1px solid #ddd; padding: .5rem 2rem; }
nav a { margin-right: 1rem; color: #1f3b63; text-decoration: none; }
main { padding: 1rem 2rem; max-width: 1100px; }
section { background: #fff; border: 1px solid #e2e4e8; border-radius: 6px; padding: 1rem 1.5rem;
          margin-bottom: 1.5rem; }
h2 { margin-top: 0; color: #1f3b63; }
h3 { margin-bottom: .25rem; font-size: 1rem; }
.kpis { display: flex; gap: 1rem; flex-wrap: wrap; }
.kpi { background: #eef3fa; border-radius: 6px; padding: .75rem 1.25rem; min-width: 10rem; }
.kpi .value { font-size: 1.75rem; font-weight: 600; }
.kpi .label { color: #555; font-size: .85rem; }
svg.chart { display: block; max-width: 100%; height: auto; font-size: 11px; }
svg.chart text { fill: #333; }
svg.chart rect:hover, svg.chart circle:hover { opacity: .7; }
section.notice { background: #fff8e1; border-color: #f0c36d; }
section.notice code { background: #fff; padding: 0 .25rem; border-radius: 3px; }
p.empty { color: #777; font-style: italic; padding: 1rem; background: #fafafa; border: 1px dashed #ccc; }
.legend span { display: inline-block; margin-right: .75rem; font-size: .85rem; }
.legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .25rem; vertical-align: middle; }
.note { color: #666; font-size: .85rem; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
"""


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def empty(name: str, message: str) -> str:
    return f'<p class="empty" data-chart="{esc(name)}">{esc(message)}</p>'


def datum(tag: str, label: str, value: float, attrs: str, tip: str | None = None) -> str:
    tip = tip if tip is not None else f"{label}: {number(value)}"
    return f'<{tag} data-label="{esc(label)}" data-value="{esc(value)}" {attrs}><title>{esc(tip)}</title></{tag}>'


def hbar_chart(
    name: str, data: list[tuple[str, float]], message: str, colours: list[str] | None = None, unit: str = "plays"
) -> str:
    """Horizontal bars, one per (label, value): for named categories (artists, genres, countries)."""
    if not data:
        return empty(name, message)
    label_w, bar_w, row_h = 220, 460, 22
    height = row_h * len(data) + 10
    top = max(v for _, v in data) or 1
    parts = [
        f'<svg class="chart" data-chart="{esc(name)}" viewBox="0 0 {label_w + bar_w + 70} {height}" '
        f'width="{label_w + bar_w + 70}" height="{height}" role="img" aria-label="{esc(name)}">'
    ]
    for i, (label, value) in enumerate(data):
        y = 5 + i * row_h
        w = max(bar_w * value / top, 1)
        colour = colours[i] if colours else BAR
        short = label if len(label) <= 32 else label[:31] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{esc(short)}</text>')
        parts.append(
            datum(
                "rect",
                label,
                value,
                f'x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{colour}"',
                f"{label}: {number(value)} {unit}",
            )
        )
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{esc(number(value))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def vbar_chart(name: str, data: list[tuple[str, float]], message: str, unit: str = "plays", width: int = 760) -> str:
    """Vertical bars, one per (label, value), for ordered categories (hours, weekdays, years)."""
    if not data or not any(v for _, v in data):
        return empty(name, message)
    left, bottom, plot_h = 40, 40, 200
    slot = (width - left - 10) / len(data)
    height = plot_h + bottom + 10
    top = max(v for _, v in data) or 1
    parts = [
        f'<svg class="chart" data-chart="{esc(name)}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{esc(name)}">',
        f'<line x1="{left}" y1="{plot_h + 10}" x2="{width - 10}" y2="{plot_h + 10}" stroke="#999"/>',
        f'<text x="{left - 4}" y="18" text-anchor="end">{esc(number(top))}</text>',
        f'<text x="{left - 4}" y="{plot_h + 10}" text-anchor="end">0</text>',
    ]
    every = max(1, math.ceil(len(data) / 24))
    for i, (label, value) in enumerate(data):
        h = plot_h * value / top
        x = left + i * slot
        parts.append(
            datum(
                "rect",
                label,
                value,
                f'x="{x + slot * 0.1:.1f}" y="{plot_h + 10 - h:.1f}" width="{slot * 0.8:.1f}" height="{h:.1f}" '
                f'fill="{BAR}"',
                f"{label}: {number(value)} {unit}",
            )
        )
        if i % every == 0:
            parts.append(f'<text x="{x + slot / 2:.1f}" y="{plot_h + 26}" text-anchor="middle">{esc(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(name: str, data: list[tuple[str, float]], message: str, unit: str = "minutes") -> str:
    """A line with one circle per (label, value), for a time series (months)."""
    if not data or not any(v for _, v in data):
        return empty(name, message)
    width, left, bottom, plot_h = 760, 50, 40, 200
    height = plot_h + bottom + 10
    top = max(v for _, v in data) or 1
    step = (width - left - 20) / max(len(data) - 1, 1)
    points = [(left + i * step, plot_h + 10 - plot_h * v / top) for i, (_, v) in enumerate(data)]
    parts = [
        f'<svg class="chart" data-chart="{esc(name)}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{esc(name)}">',
        f'<line x1="{left}" y1="{plot_h + 10}" x2="{width - 10}" y2="{plot_h + 10}" stroke="#999"/>',
        f'<text x="{left - 4}" y="18" text-anchor="end">{esc(number(top))}</text>',
        f'<text x="{left - 4}" y="{plot_h + 10}" text-anchor="end">0</text>',
        '<polyline fill="none" stroke="#3b6fb6" stroke-width="2" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        + '"/>',
    ]
    every = max(1, math.ceil(len(data) / 12))
    for i, ((label, value), (x, y)) in enumerate(zip(data, points, strict=True)):
        parts.append(
            datum(
                "circle",
                label,
                value,
                f'cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1f3b63"',
                f"{label}: {number(value)} {unit}",
            )
        )
        if i % every == 0:
            parts.append(f'<text x="{x:.1f}" y="{plot_h + 26}" text-anchor="middle">{esc(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def map_chart(name: str, artists: list[tuple[str, float, float, int]], message: str) -> str:
    """Artists (name, lat, long, plays) on an equirectangular projection with a 30° graticule."""
    if not artists:
        return empty(name, message)
    width, height, scale = 720, 360, 2.0
    top = max(p for *_, p in artists) or 1
    parts = [
        f'<svg class="chart" data-chart="{esc(name)}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{esc(name)}" style="background:#eaf2fb">',
        '<g stroke="#c5d3e3" stroke-width="0.5">',
    ]
    for meridian in range(-180, 181, 30):
        parts.append(f'<line x1="{(meridian + 180) * scale}" y1="0" x2="{(meridian + 180) * scale}" y2="{height}"/>')
    for parallel in range(-90, 91, 30):
        parts.append(f'<line x1="0" y1="{(90 - parallel) * scale}" x2="{width}" y2="{(90 - parallel) * scale}"/>')
    parts.append("</g>")
    parts.append(f'<line x1="0" y1="{90 * scale}" x2="{width}" y2="{90 * scale}" stroke="#9fb3cc" stroke-width="1"/>')
    # the biggest first so that the small dots stay visible on top
    for label, lat, lon, plays in sorted(artists, key=lambda a: (-a[3], a[0])):
        x, y = (lon + 180) * scale, (90 - lat) * scale
        r = 2.5 + 12 * math.sqrt(plays / top)
        opacity = 0.75 if plays else 0.35
        parts.append(
            datum(
                "circle",
                label,
                plays,
                f'cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#d9480f" fill-opacity="{opacity}" stroke="#7a2906" '
                f'stroke-width="0.5" data-lat="{lat:.4f}" data-long="{lon:.4f}"',
                f"{label}: {plays:,} plays ({lat:.2f}, {lon:.2f})",
            )
        )
    parts.append("</svg>")
    return "".join(parts)


@dataclass
class Report:
    listens: int
    generated: str
    warehouse: str
    plays: int
    first_play: datetime | None
    last_play: datetime | None
    last24: dict[str, float]
    last24_artists: list[tuple[str, float]]
    hours: list[tuple[str, float]]
    weekdays: list[tuple[str, float]]
    time_of_day: list[tuple[str, float]]
    genres: list[tuple[str, int, int]]
    map_artists: list[tuple[str, float, float, int]]
    continents: list[tuple[str, float]]
    countries: list[tuple[str, float]]
    unlocated_plays: int
    years: list[tuple[str, float]]
    months: list[tuple[str, float]]


def months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


# every count, chart and minute of the page is over plays: listens of at least min_play_seconds (or of unknown
# length); shorter listens stay in fact_track_played for skip statistics
PLAYS = "(select * from main.fact_track_played where counts_as_play)"


def query(warehouse: Path) -> Report:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:

        def rows(sql: str) -> list[tuple]:
            return con.execute(sql).fetchall()

        # every listen, plays and shorter ones: none at all is an empty history
        listens = rows("select count(*) from main.fact_track_played")[0][0]
        plays, first_play, last_play = rows(
            f"select count(*), min(played_at_local), max(played_at_local) from {PLAYS}"
        )[0]
        last24_where = f"played_at_local > (select max(played_at_local) from {PLAYS}) - interval 24 hours"
        minutes, tracks, artists, plays24 = rows(
            f"""
            select coalesce(sum(minutes_played), 0), count(distinct track_key), count(distinct artist_key), count(*)
            from {PLAYS} where {last24_where}
            """
        )[0]
        last24_artists = rows(
            f"""
            select coalesce(a.artist_name, '(unknown artist)'), count(*) as plays
            from {PLAYS} as f left join main.dim_artist as a using (artist_key)
            where {last24_where}
            group by 1 order by plays desc, 1 limit {TOP}
            """
        )
        by_hour = dict(rows(f"select time_key // 60, count(*) from {PLAYS} group by 1"))
        by_weekday = dict(rows(f"select isodow(played_at_local), count(*) from {PLAYS} group by 1"))
        time_of_day = dict(
            rows(
                f"select t.time_of_day, count(*) from {PLAYS} as f join main.dim_time as t using (time_key) group by 1"
            )
        )
        genres = rows(
            f"""
            select genre, any_value(genre_plays), any_value(genre_plays_quintile)
            from main.fact_artist_genre group by genre
            order by 2 desc, 1 limit {TOP}
            """
        )
        map_artists = rows(
            f"""
            with plays as (select artist_key, count(*) as plays from {PLAYS} group by 1)
            select coalesce(a.artist_name, '(unknown artist)'), a.lat, a.long, coalesce(p.plays, 0)
            from main.dim_artist as a left join plays as p using (artist_key)
            where a.lat is not null and a.long is not null
            order by 1
            """
        )
        geo = f"""
            from {PLAYS} as f join main.dim_artist as a using (artist_key)
        """
        continents = rows(
            f"select a.continent, count(*) {geo} where a.continent is not null group by 1 order by 2 desc, 1"
        )
        countries = rows(
            f"select a.country_name, count(*) {geo} where a.country_name is not null "
            f"group by 1 order by 2 desc, 1 limit {TOP}"
        )
        unlocated = rows(
            f"select count(*) from {PLAYS} as f left join main.dim_artist as a using (artist_key) "
            "where a.continent is null"
        )[0][0]
        years = rows(f"select cast(year(played_at_local) as varchar), count(*) from {PLAYS} group by 1 order by 1")
        by_month = dict(
            rows(f"select strftime(played_at_local, '%Y-%m'), coalesce(sum(minutes_played), 0) from {PLAYS} group by 1")
        )
    finally:
        con.close()
    months = months_between(min(by_month), max(by_month)) if by_month else []
    return Report(
        listens=listens,
        generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
        warehouse=str(warehouse),
        plays=plays,
        first_play=first_play,
        last_play=last_play,
        last24={"plays": plays24, "minutes": float(minutes), "tracks": tracks, "artists": artists},
        last24_artists=[(str(n), p) for n, p in last24_artists],
        hours=[(f"{h:02d}", by_hour.get(h, 0)) for h in range(24)],
        weekdays=[(name[:3], by_weekday.get(i + 1, 0)) for i, name in enumerate(WEEKDAYS)],
        time_of_day=[(t, time_of_day.get(t, 0)) for t in ("night", "morning", "afternoon", "evening")],
        genres=[(str(g), p, q) for g, p, q in genres],
        map_artists=[(str(n), float(lat), float(lon), p) for n, lat, lon, p in map_artists],
        continents=[(str(c), p) for c, p in continents],
        countries=[(str(c), p) for c, p in countries],
        unlocated_plays=unlocated,
        years=[(y, p) for y, p in years],
        months=[(m, float(by_month.get(m, 0))) for m in months],
    )


def kpi(name: str, label: str, value: float) -> str:
    return (
        f'<div class="kpi" data-kpi="{esc(name)}" data-value="{esc(value)}">'
        f'<div class="value">{esc(number(value))}</div><div class="label">{esc(label)}</div></div>'
    )


def empty_history_notice(report: Report) -> str:
    """The first section of the page when the warehouse holds no listen at all: what is empty and how to fill it."""
    return (
        '<section id="empty-history" class="notice" data-empty-history="true"><h2>Your listening history is '
        f"empty</h2><p>The warehouse {esc(Path(report.warehouse).name)} holds no listens yet, so every chart "
        "below is empty. To fill it, import your listening history (a Spotify Extended Streaming History or "
        "Account data download, Last.fm or ListenBrainz scrobbles; docs/importing.md), then build the warehouse "
        f"and this report again:</p><p><code>{esc(IMPORT_COMMAND)}</code><br><code>make enrich</code><br>"
        "<code>make report</code></p><p>To see this report on the bundled sample instead: <code>make demo</code>."
        "</p></section>"
    )


def render(report: Report) -> str:
    span = (
        f"{report.plays:,} plays from {report.first_play:%Y-%m-%d} to {report.last_play:%Y-%m-%d %H:%M} (local time)"
        if report.plays
        else "No plays yet"
        if report.listens
        else "Your listening history is empty"
    )
    last = f"{report.last_play:%Y-%m-%d %H:%M}" if report.last_play else "-"
    legend = "".join(
        f'<span><i style="background:{c}"></i>quintile {q}</span>' for q, c in sorted(QUINTILE_COLOURS.items())
    )
    sections = [
        (
            "last24",
            "Last 24 hours",
            f'<p class="note">The 24 hours before the latest play ({esc(last)}).</p>'
            '<div class="kpis">'
            + kpi("minutes", "minutes listened", round(report.last24["minutes"], 1))
            + kpi("plays", "plays", report.last24["plays"])
            + kpi("tracks", "distinct tracks", report.last24["tracks"])
            + kpi("artists", "distinct artists", report.last24["artists"])
            + "</div><h3>Top artists</h3>"
            + hbar_chart("last24_artists", report.last24_artists, "No plays in the last 24 hours"),
        ),
        (
            "time",
            "Time of day",
            "<h3>Plays by hour (local time)</h3>"
            + vbar_chart("plays_by_hour", report.hours, "No plays yet")
            + '<div class="grid2"><div><h3>Plays by weekday</h3>'
            + vbar_chart("plays_by_weekday", report.weekdays, "No plays yet", width=380)
            + "</div><div><h3>Plays by time of day</h3>"
            + vbar_chart("plays_by_time_of_day", report.time_of_day, "No plays yet", width=380)
            + "</div></div>",
        ),
        (
            "genres",
            "Genres",
            '<p class="note">Every play of an artist counts for each of its genres; colour: the genre\'s plays '
            f'quintile (5 = the most played fifth).</p><p class="legend">{legend}</p>'
            + hbar_chart(
                "top_genres",
                [(g, p) for g, p, _ in report.genres],
                "No plays with a genre yet",
                colours=[QUINTILE_COLOURS.get(q, BAR) for *_, q in report.genres],
            ),
        ),
        (
            "geography",
            "Geography",
            '<p class="note">Artists by the coordinates of their area (equirectangular projection); dot size: '
            "plays.</p>"
            + map_chart("artist_map", report.map_artists, "No plays with coordinates yet")
            + '<div class="grid2"><div><h3>Plays by continent</h3>'
            + hbar_chart("plays_by_continent", report.continents, "No plays with a known continent yet")
            + "</div><div><h3>Plays by country</h3>"
            + hbar_chart("plays_by_country", report.countries, "No plays with a known country yet")
            + "</div></div>"
            + f'<p class="note" data-unlocated="{report.unlocated_plays}">{report.unlocated_plays:,} plays by '
            "artists of unknown location are not in the geography charts.</p>",
        ),
        (
            "years",
            "Listening over the years",
            "<h3>Plays per year</h3>"
            + vbar_chart("plays_by_year", report.years, "No plays yet")
            + "<h3>Minutes per month</h3>"
            + line_chart("minutes_by_month", report.months, "No plays yet"),
        ),
    ]
    nav = "".join(f'<a href="#{anchor}">{esc(title)}</a>' for anchor, title, _ in sections)
    body = "".join(
        f'<section id="{anchor}"><h2>{esc(title)}</h2>{content}</section>' for anchor, title, content in sections
    )
    if not report.listens:
        body = empty_history_notice(report) + body
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>rws-music report</title><style>{CSS}</style></head><body>"
        f"<header><h1>rws-music listening report</h1><p>{esc(span)}. Generated {esc(report.generated)} "
        f"from {esc(Path(report.warehouse).name)}.</p></header>"
        f"<nav>{nav}</nav><main>{body}</main></body></html>\n"
    )


def write_report(warehouse: Path, out: Path | None = None) -> Path:
    """Render the report of the warehouse into out (default: exports/report.html next to the warehouse)."""
    return write(warehouse, out)[0]


def write(warehouse: Path, out: Path | None = None) -> tuple[Path, Report]:
    warehouse = Path(warehouse)
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse at {shown(warehouse)}: {NO_WAREHOUSE_ADVICE}")
    out = Path(out) if out else warehouse.parent / "exports" / "report.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    report = query(warehouse)
    out.write_text(render(report), encoding="utf-8")
    return out, report


def shown(path: Path) -> str:
    """path as the user would type it: relative to the current folder when under it, else absolute."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(Path(path).resolve())


def demo_dir() -> Path:
    return Path(os.environ.get("RWS_DEMO_DIR") or DEMO_DIR)


def main(argv: list[str] | None = None) -> None:
    data_dir = Path(os.environ.get("DATA_DIR") or "data")
    own = Path(os.environ.get("DUCKDB_PATH") or data_dir / "music_tracker.duckdb")
    parser = argparse.ArgumentParser(prog="python -m scripts.report", description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, help=f"the DuckDB warehouse (default: {own})")
    parser.add_argument("--out", type=Path, help="the HTML file to write (default: $DATA_DIR/exports/report.html)")
    args = parser.parse_args(argv)
    warehouse, out, demo_note = args.warehouse or own, args.out or data_dir / "exports" / "report.html", False
    demo = demo_dir() / "music_tracker.duckdb"
    if args.warehouse is None and not own.is_file() and demo.is_file():
        # right after `make demo`: the demo's warehouse is the only one there is; its report goes beside it
        warehouse, out, demo_note = demo, args.out or demo.parent / "exports" / "report.html", True
    if not Path(warehouse).is_file():
        print(f"report: no warehouse at {shown(warehouse)}: {NO_WAREHOUSE_ADVICE}", file=sys.stderr)
        sys.exit(2)
    try:
        path, report = write(warehouse, out)
    except duckdb.CatalogException as exc:  # a warehouse whose build never finished: no star schema yet
        first = (str(exc).strip().splitlines() or [""])[0]
        sys.exit(f"report: {shown(warehouse)} has no complete star schema ({first}); build it: make dbt")
    except duckdb.Error as exc:
        sys.exit(f"report: {exc}")
    if demo_note:
        print(
            f"report: no warehouse of your own yet ({shown(own)}), so this is the demo's report: {shown(path)}. "
            f"Your own comes from your listening history: `{IMPORT_COMMAND}`, then `make enrich`"
        )
    elif not report.listens:
        print(
            f"report: your listening history is empty ({shown(warehouse)} holds no listens), as {shown(path)} "
            f"says; to fill it, {HOW_TO_FILL}"
        )
    else:
        print(path)


if __name__ == "__main__":
    main()
