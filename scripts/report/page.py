"""The report page: one HTML file holding its text, the charts' Vega-Lite specs and the JavaScript that draws them
(Vega, Vega-Lite and vega-embed, inlined by vl-convert), so it opens offline with a double-click and can be
shared as it is.

Every chart is an element `<div class="chart" data-chart="NAME">` that vega-embed fills (SVG, with a menu to
save it as PNG or SVG); a chart without data is `<p class="empty" data-chart="NAME">` saying why. The page keeps
each chart's Vega view in `window.rwsViews[NAME]` and resolves `window.rwsReady` when all are drawn (its tests
use both).
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from html import escape

import altair as alt
import vl_convert

from scripts.report.charts import Spec
from scripts.report.data import Marts

IMPORT_COMMAND = "uv run python -m extractors import PATH…"

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #222;
       background: #f6f7f9; }
header { background: #1f3b63; color: #fff; padding: 1rem 2rem; }
header h1 { margin: 0; font-size: 1.5rem; }
header p { margin: .25rem 0 0; opacity: .85; }
nav { background: #fff; border-bottom: 1px solid #ddd; padding: .5rem 2rem; position: sticky; top: 0; z-index: 2; }
nav a { margin-right: 1rem; color: #1f3b63; text-decoration: none; white-space: nowrap; }
main { padding: 1rem 2rem; max-width: 1100px; }
section { background: #fff; border: 1px solid #e2e4e8; border-radius: 6px; padding: 1rem 1.5rem;
          margin-bottom: 1.5rem; }
h2 { margin-top: 0; color: #1f3b63; }
h3 { margin-bottom: .25rem; font-size: 1rem; }
.kpis { display: flex; gap: 1rem; flex-wrap: wrap; margin-bottom: 1rem; }
.kpi { background: #eef3fa; border-radius: 6px; padding: .75rem 1.25rem; min-width: 9rem; }
.kpi .value { font-size: 1.6rem; font-weight: 600; }
.kpi .label { color: #555; font-size: .85rem; }
.note { color: #555; font-size: .9rem; }
.plain { background: #fff8e1; border-left: 4px solid #f0c36d; padding: .5rem 1rem; }
p.empty { color: #777; font-style: italic; padding: 1rem; background: #fafafa; border: 1px dashed #ccc; }
section.notice { background: #fff8e1; border-color: #f0c36d; }
table { border-collapse: collapse; font-size: .9rem; }
td, th { padding: .2rem .6rem; border-bottom: 1px solid #eee; text-align: right; }
td:first-child, th:first-child { text-align: left; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: 1rem; }
.card { background: #f3f0fa; border-radius: 8px; padding: .75rem 1rem; }
.card h3 { margin-top: 0; }
.card ol { margin: .25rem 0; padding-left: 1.4rem; }
.big { font-size: 2rem; font-weight: 700; color: #4b2a86; }
.vega-embed { margin-bottom: .5rem; }
.vega-bind { display: inline-block; margin-right: 1rem; }
"""

# what the bundle makes global for SCRIPT below (vl-convert's default snippet, written out)
BUNDLE_SNIPPET = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"

# draws every chart, keeps its view, shows one year of the year in review at a time
SCRIPT = """
(function () {
  const specs = JSON.parse(document.getElementById('rws-specs').textContent);
  const options = {renderer: 'svg', actions: {export: true, source: false, compiled: false, editor: false}};
  window.rwsViews = {};
  window.rwsReady = Promise.all(Object.keys(specs).map(function (name) {
    const element = document.querySelector('div.chart[data-chart="' + name + '"]');
    return vegaEmbed(element, specs[name], options).then(function (result) { window.rwsViews[name] = result.view; });
  }));
  const years = document.getElementById('year-select');
  if (years) {
    const show = function () {
      document.querySelectorAll('article.year').forEach(function (card) {
        card.hidden = card.dataset.year !== years.value;
      });
    };
    years.addEventListener('change', show);
    show();
  }
})();
"""


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def number(value: object, digits: int = 0) -> str:
    return f"{float(str(value)):,.{digits}f}"


def percent(value: object) -> str:
    return f"{float(str(value)) * 100:.1f}%"


@cache
def javascript() -> str:
    """Vega, Vega-Lite (the version Altair writes) and vega-embed as one script, with no import from the network."""
    version = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
    return vl_convert.javascript_bundle(BUNDLE_SNIPPET, vl_version=version)


def script_json(data: object) -> str:
    """JSON safe inside <script>: <, > and & as JSON escapes, so no name can end the element or open a tag."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def kpi(name: str, label: str, value: str) -> str:
    return (
        f'<div class="kpi" data-kpi="{esc(name)}"><div class="value">{esc(value)}</div>'
        f'<div class="label">{esc(label)}</div></div>'
    )


def chart(name: str, specs: dict[str, Spec | None], empty: str, title: str | None = None) -> str:
    heading = f"<h3>{esc(title)}</h3>" if title else ""
    if specs.get(name) is None:
        return f'{heading}<p class="empty" data-chart="{esc(name)}">{esc(empty)}</p>'
    return f'{heading}<div class="chart" data-chart="{esc(name)}"></div>'


def all_time(marts: Marts) -> dict[str, object]:
    return next((row for row in marts["overview"] if row["year"] is None), {})


def overview(marts: Marts, specs: dict[str, Spec | None]) -> str:
    total = all_time(marts)
    kpis = (
        kpi("plays", "plays (30 s or more)", number(total.get("plays") or 0))
        + kpi("hours", "hours listened", number(total.get("hours_listened") or 0))
        + kpi("artists", "artists", number(total.get("artists") or 0))
        + kpi("tracks", "tracks", number(total.get("tracks") or 0))
        + kpi("albums", "albums", number(total.get("albums") or 0))
    )
    rows = "".join(
        f'<tr data-year="{esc(row["year"])}"><td>{esc(row["year"])}</td><td>{number(row["plays"])}</td>'
        f"<td>{number(row['hours_listened'], 1)}</td><td>{number(row['artists'])}</td>"
        f"<td>{number(row['tracks'])}</td><td>{number(row['albums'])}</td></tr>"
        for row in marts["overview"]
        if row["year"] is not None
    )
    table = (
        '<table id="overview-years"><tr><th>year</th><th>plays</th><th>hours</th><th>artists</th><th>tracks</th>'
        f"<th>albums</th></tr>{rows}</table>"
        if rows
        else ""
    )
    return (
        f'<div class="kpis">{kpis}</div>'
        + chart("overview_years", specs, "No plays yet.", "Hours listened per year")
        + table
    )


def sessions(marts: Marts, specs: dict[str, Spec | None]) -> str:
    summary = marts["session_summary"][0] if marts["session_summary"] else {}
    days = next((row for row in marts["streaks"] if row["kind"] == "days" and row["rank"] == 1), None)
    run = next((row for row in marts["streaks"] if row["kind"] == "artist" and row["rank"] == 1), None)
    kpis = kpi("sessions", "listening sessions", number(summary.get("sessions") or 0)) + kpi(
        "median_session", "minutes in a typical session (median)", number(summary.get("median_minutes") or 0)
    )
    if days:
        kpis += kpi(
            "day_streak",
            f"days in a row with music, {str(days['started_at_local'])[:10]} to {str(days['ended_at_local'])[:10]}",
            number(days["length"]),
        )
    if run:
        kpis += kpi("artist_run", f"plays of {run['artist_name']} in a row", number(run["length"]))
    return (
        '<p class="note">A session is listening with gaps under 30 minutes between one play\'s end and the next '
        "one's start.</p>"
        f'<div class="kpis">{kpis}</div>'
        + chart("longest_sessions", specs, "No sessions yet.", "The longest sessions")
        + chart("session_lengths", specs, "No sessions yet.", "How long sessions last")
        + chart("artist_runs", specs, "No runs yet.", "The longest runs of one artist")
    )


def origins(marts: Marts, specs: dict[str, Spec | None]) -> str:
    unknown = next((row for row in marts["origin_countries"] if not row["is_known"]), None)
    plays = sum(int(str(row["plays"])) for row in marts["origin_countries"])
    if unknown and plays:
        plain = (
            f'<p class="plain" data-unknown-plays="{esc(unknown["plays"])}">For {percent(unknown["share_of_plays"])} '
            f"of your plays ({number(unknown['plays'])} of {number(plays)}) the artist's country is unknown: "
            "MusicBrainz has no area for the artist, or the artist was never matched to MusicBrainz. The map and "
            "the charts below show the rest.</p>"
        )
    else:
        plain = '<p class="plain" data-unknown-plays="0">Every play\'s artist has a known country.</p>' if plays else ""
    return (
        plain
        + chart("origin_map", specs, "No artist with a known country yet.", "Plays by the artists' country and city")
        + chart("continents", specs, "No plays yet.", "Continents")
        + chart("top_countries", specs, "No plays yet.", "Countries")
    )


def listed(items: object) -> str:
    entries = items if isinstance(items, list) else []
    if not entries:
        return "<p class='note'>none</p>"
    return "<ol>" + "".join(f"<li>{esc(item)}</li>" for item in entries) + "</ol>"


def year_card(row: dict[str, object]) -> str:
    year = row["year"]
    genre = (
        f"{esc(row['top_genre'])} <span class='note'>({percent(row['top_genre_share'])} of the minutes)</span>"
        if row.get("top_genre")
        else "<span class='note'>unknown</span>"
    )
    country = (
        f"{esc(row['top_country'])} <span class='note'>({percent(row['top_country_share'])})</span>"
        if row.get("top_country")
        else "<span class='note'>unknown</span>"
    )
    month = row.get("peak_month_name") or "-"  # the mart names the month
    hour = f"{int(str(row['peak_hour'])):02d}:00" if row.get("peak_hour") is not None else "-"
    return (
        f'<article class="year" data-year="{esc(year)}"><h3>{esc(year)}</h3><div class="cards">'
        f'<div class="card"><h3>Minutes listened</h3><div class="big" data-field="minutes">'
        f"{number(row['minutes'])}</div><p>{number(row['plays'])} plays of {number(row['tracks'])} tracks by "
        f"{number(row['artists'])} artists</p></div>"
        f'<div class="card"><h3>Top artists</h3>{listed(row["top_artists"])}</div>'
        f'<div class="card"><h3>Top tracks</h3>{listed(row["top_tracks"])}</div>'
        f'<div class="card"><h3>Top albums</h3>{listed(row["top_albums"])}</div>'
        f'<div class="card"><h3>Top genre</h3><p data-field="top_genre">{genre}</p><h3>Top country</h3>'
        f'<p data-field="top_country">{country}</p></div>'
        f'<div class="card"><h3>When</h3><p>Most listening in <b data-field="peak_month">{esc(month)}</b> '
        f"({number(row['peak_month_minutes'] or 0)} minutes), most often around "
        f'<b data-field="peak_hour">{esc(hour)}</b>.</p></div>'
        f'<div class="card"><h3>Discovered</h3><div class="big" data-field="new_artists">'
        f"{number(row['new_artists'])}</div><p>artists heard for the first time, among them:</p>"
        f"{listed(row['discovered_artists'])}</div>"
        "</div></article>"
    )


def year_in_review(marts: Marts) -> str:
    rows = marts["year_in_review"]
    if not rows:
        return '<p class="empty" data-chart="year_in_review">No plays yet.</p>'
    options = "".join(f'<option value="{esc(row["year"])}">{esc(row["year"])}</option>' for row in rows)
    return f'<label class="vega-bind">Year <select id="year-select">{options}</select></label>' + "".join(
        year_card(row) for row in rows
    )


def empty_history_notice(marts: Marts) -> str:
    return (
        '<section id="empty-history" class="notice" data-empty-history="true"><h2>Your listening history is '
        f"empty</h2><p>The warehouse {esc(marts.warehouse.name)} holds no listens yet, so every chart below is "
        "empty. To fill it, import your listening history (a Spotify Extended Streaming History or Account data "
        "download, Last.fm or ListenBrainz scrobbles; docs/importing.md), then build the warehouse and this report "
        f"again:</p><p><code>{esc(IMPORT_COMMAND)}</code><br><code>make enrich</code><br><code>make report</code></p>"
        "<p>To see this report on the bundled sample instead: <code>make demo</code>.</p></section>"
    )


def render(marts: Marts, specs: dict[str, Spec | None], generated: datetime) -> str:
    total = all_time(marts)
    span = (
        f"{number(total['plays'])} plays from {str(total['first_played_at_local'])[:10]} to "
        f"{str(total['last_played_at_local'])[:16].replace('T', ' ')} (local time)"
        if total.get("plays")
        else "No plays yet"
        if marts.listens
        else "Your listening history is empty"
    )
    sections = [
        ("overview", "Overview", overview(marts, specs)),
        (
            "tops",
            "Tops",
            '<p class="note">Pick a period, what to rank and by what. ▲/▼: places gained or lost against the '
            "previous period of the same length (the year before, the 4 weeks or 6 months before); new: not "
            "played then. The recent periods end on the latest play.</p>" + chart("top_items", specs, "No plays yet."),
        ),
        (
            "time",
            "Over time",
            chart("minutes_over_time", specs, "No plays yet.", "Minutes listened")
            + chart("new_artists", specs, "No plays yet.", "New artists per month")
            + chart("artist_first_last", specs, "No plays yet.", "Your top 20 artists: first (green) and last listen"),
        ),
        (
            "clock",
            "The clock",
            chart("clock", specs, "No plays yet.", "Minutes by weekday and hour (local time)")
            + chart("genres_by_hour", specs, "No plays yet.", "Genres by hour of the day"),
        ),
        ("sessions", "Sessions and streaks", sessions(marts, specs)),
        (
            "skips",
            "Skips",
            '<p class="note">A skip is a listen shorter than 30 seconds, or one Spotify marks as skipped; the rates '
            "are skips among all listens.</p>"
            + chart("most_skipped", specs, "No skips.", "Most skipped")
            + chart("skip_rate_by_hour", specs, "No listens yet.", "Skip rate by hour")
            + chart("skip_rate_by_platform", specs, "No listens yet.", "Skip rate by platform"),
        ),
        ("origins", "Where the music comes from", origins(marts, specs)),
        (
            "eras",
            "Eras",
            chart("release_decades", specs, "No plays yet.", "Plays by release decade")
            + chart("music_age", specs, "No plays with a known release year.", "How old the music was when played"),
        ),
        ("year-in-review", "Year in review", year_in_review(marts)),
        (
            "travel",
            "Travel",
            '<p class="note">Where you were when you listened (the country Spotify recorded for each listen).</p>'
            + chart("travel", specs, "No listen says where it was played.", "Plays by the country you were in")
            + chart("played_abroad", specs, "Nothing was played away from home.", "What you played abroad"),
        ),
    ]
    nav = "".join(f'<a href="#{anchor}">{esc(title)}</a>' for anchor, title, _ in sections)
    body = "".join(
        f'<section id="{anchor}"><h2>{esc(title)}</h2>{content}</section>' for anchor, title, content in sections
    )
    if not marts.listens:
        body = empty_history_notice(marts) + body
    drawn = {name: spec for name, spec in specs.items() if spec is not None}
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>rws-music report</title><style>{CSS}</style></head><body>"
        f"<header><h1>rws-music listening report</h1><p>{esc(span)}. Generated {generated:%Y-%m-%d %H:%M} "
        f"from {esc(marts.warehouse.name)}.</p></header>"
        f"<nav>{nav}</nav><main>{body}</main>"
        f'<script type="application/json" id="rws-specs">{script_json(drawn)}</script>'
        f"<script>{javascript()}</script><script>{SCRIPT}</script></body></html>\n"
    )
