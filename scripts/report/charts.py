"""The report's charts: one function per chart, each a Vega-Lite spec built with Altair from a mart's rows.

A function returns None when its mart has nothing to show; the page then says so in words. The data goes
inline into each spec (`alt.Data(values=...)`): the page needs no file and no server. Selectors are Vega-Lite
parameters bound to inputs (`alt.binding_select`, `alt.binding_radio`): they filter the chart's own data, so
they work offline without any code of ours.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

import altair as alt

from scripts.report.data import Marts
from scripts.report.shapes import SHAPES

Rows = list[dict[str, object]]
Spec = dict[str, object]

BLUE = "#3b6fb6"
GREY = "#b8bec8"
WIDTH = 680
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SHAPES_DATASET = "country_shapes"
ENTITIES = {"artist": "Artists", "track": "Tracks", "album": "Albums", "genre": "Genres", "country": "Countries"}


def values(rows: Rows) -> alt.Data:
    return alt.Data(values=rows)


def period_order(periods: set[str]) -> list[str]:
    """all time, the recent periods, then the years, newest first."""
    fixed = [p for p in ("all time", "last 4 weeks", "last 6 months") if p in periods]
    return fixed + sorted(periods - set(fixed), reverse=True)


def top_items(marts: Marts) -> alt.TopLevelMixin | None:
    """Tops per period: one entity, one measure, one period at a time, chosen with three selectors."""
    rows = marts["top_items"]
    if not rows:
        return None
    periods = period_order({str(row["period"]) for row in rows})
    entities = [e for e in ENTITIES if any(row["entity"] == e for row in rows)]
    period = alt.param(name="period", value=periods[0], bind=alt.binding_select(options=periods, name="Period "))
    entity = alt.param(
        name="entity",
        value=entities[0],
        bind=alt.binding_select(options=entities, labels=[ENTITIES[e] for e in entities], name="Top "),
    )
    measure = alt.param(name="measure", value="plays", bind=alt.binding_radio(options=["plays", "minutes"], name="By "))
    base = (
        alt.Chart(values(rows))
        .transform_filter("datum.period == period && datum.entity == entity && datum.measure == measure")
        .transform_calculate(
            value="measure == 'plays' ? datum.plays : datum.minutes",
            label="datum.rank + '. ' + datum.item_name + (datum.artist_name ? ' — ' + datum.artist_name : '')",
            change=(
                "isValid(datum.rank_change) ? (datum.rank_change > 0 ? '▲' + datum.rank_change"
                " : datum.rank_change < 0 ? '▼' + (-datum.rank_change) : '=') : (datum.is_new ? 'new' : '')"
            ),
        )
    )
    y = alt.Y("label:N", sort=alt.EncodingSortField("rank", op="min"), title=None, axis=alt.Axis(labelLimit=360))
    tooltip = [
        alt.Tooltip("rank:Q", title="rank"),
        alt.Tooltip("item_name:N", title="name"),
        alt.Tooltip("artist_name:N", title="artist"),
        alt.Tooltip("plays:Q", title="plays", format=","),
        alt.Tooltip("minutes:Q", title="minutes", format=",.0f"),
        alt.Tooltip("previous_rank:Q", title="rank in the previous period"),
        alt.Tooltip("period_start:N", title="from"),
        alt.Tooltip("period_end:N", title="to"),
    ]
    bars = base.mark_bar(color=BLUE).encode(x=alt.X("value:Q", title="plays or minutes"), y=y, tooltip=tooltip)
    changes = base.mark_text(align="left", dx=4, color="#555").encode(
        x="value:Q", y=y, text="change:N", tooltip=tooltip
    )
    return (bars + changes).add_params(period, entity, measure).properties(width=WIDTH - 300, height=280)


def overview_years(marts: Marts) -> alt.TopLevelMixin | None:
    rows = [row for row in marts["overview"] if row["year"] is not None]
    if not rows:
        return None
    return (
        alt.Chart(values(rows))
        .mark_bar(color=BLUE)
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("hours_listened:Q", title="hours listened"),
            tooltip=[
                alt.Tooltip("year:O"),
                alt.Tooltip("plays:Q", format=","),
                alt.Tooltip("hours_listened:Q", title="hours", format=",.1f"),
                alt.Tooltip("artists:Q", format=","),
                alt.Tooltip("tracks:Q", format=","),
                alt.Tooltip("albums:Q", format=","),
            ],
        )
        .properties(width=WIDTH, height=180)
    )


def minutes_over_time(marts: Marts) -> alt.TopLevelMixin | None:
    rows = marts["listening_by_period"]
    if not rows:
        return None
    grain = alt.param(name="grain", value="month", bind=alt.binding_radio(options=["week", "month"], name="Per "))
    return (
        alt.Chart(values(rows))
        .transform_filter("datum.grain == grain")
        .mark_area(line=True, color=BLUE, opacity=0.6, interpolate="step-after")
        .encode(
            x=alt.X("period_start:T", title=None),
            y=alt.Y("minutes:Q", title="minutes listened"),
            tooltip=[
                alt.Tooltip("period_start:T", title="from", format="%Y-%m-%d"),
                alt.Tooltip("minutes:Q", format=",.0f"),
                alt.Tooltip("plays:Q", format=","),
                alt.Tooltip("new_artists:Q", title="new artists", format=","),
            ],
        )
        .add_params(grain)
        .properties(width=WIDTH, height=200)
    )


def new_artists(marts: Marts) -> alt.TopLevelMixin | None:
    rows = [row for row in marts["listening_by_period"] if row["grain"] == "month"]
    if not any(row["new_artists"] for row in rows):
        return None
    return (
        alt.Chart(values(rows))
        .mark_bar(color="#6a9f58")
        .encode(
            x=alt.X("yearmonth(period_start):T", title=None),
            y=alt.Y("new_artists:Q", title="artists heard for the first time"),
            tooltip=[
                alt.Tooltip("yearmonth(period_start):T", title="month", format="%B %Y"),
                alt.Tooltip("new_artists:Q", title="new artists"),
            ],
        )
        .properties(width=WIDTH, height=160)
    )


def artist_first_last(marts: Marts) -> alt.TopLevelMixin | None:
    rows = marts["artist_first_last"]
    if not rows:
        return None
    y = alt.Y("artist_name:N", sort=alt.SortField("plays_rank"), title=None)
    tooltip = [
        alt.Tooltip("artist_name:N", title="artist"),
        alt.Tooltip("plays:Q", format=","),
        alt.Tooltip("days_listened:Q", title="days listened", format=","),
        alt.Tooltip("first_played_at_local:T", title="first listen", format="%Y-%m-%d %H:%M"),
        alt.Tooltip("last_played_at_local:T", title="last listen", format="%Y-%m-%d %H:%M"),
    ]
    base = alt.Chart(values(rows))
    span = base.mark_rule(color=GREY, strokeWidth=3).encode(
        x=alt.X("first_played_at_local:T", title=None), x2="last_played_at_local:T", y=y, tooltip=tooltip
    )
    first = base.mark_point(filled=True, color="#6a9f58", size=60).encode(
        x="first_played_at_local:T", y=y, tooltip=tooltip
    )
    last = base.mark_point(filled=True, color=BLUE, size=60).encode(x="last_played_at_local:T", y=y, tooltip=tooltip)
    return (span + first + last).properties(width=WIDTH - 180, height=alt.Step(16))


def clock(marts: Marts) -> alt.TopLevelMixin | None:
    rows = marts["clock"]
    if not any(row["plays"] for row in rows):
        return None
    return (
        alt.Chart(values(rows))
        .mark_rect()
        .encode(
            x=alt.X("hour:O", title="hour of the day (local time)"),
            y=alt.Y("weekday_name:N", sort=list(WEEKDAYS), title=None),
            color=alt.Color("minutes:Q", title="minutes", scale=alt.Scale(scheme="blues")),
            tooltip=[
                alt.Tooltip("weekday_name:N", title="day"),
                alt.Tooltip("hour:O"),
                alt.Tooltip("plays:Q", format=","),
                alt.Tooltip("minutes:Q", format=",.0f"),
            ],
        )
        .properties(width=WIDTH - 120, height=200)
    )


def genres_by_hour(marts: Marts) -> alt.TopLevelMixin | None:
    rows = marts["genres_by_hour"]
    if not any(row["plays"] for row in rows):
        return None
    return (
        alt.Chart(values(rows))
        .mark_bar()
        .encode(
            x=alt.X("hour:O", title="hour of the day (local time)"),
            y=alt.Y("plays:Q", stack="normalize", title="share of the hour's plays", axis=alt.Axis(format="%")),
            color=alt.Color("genre:N", sort=alt.SortField("genre_rank"), title="genre"),
            order=alt.Order("genre_rank:Q"),
            tooltip=[
                alt.Tooltip("hour:O"),
                alt.Tooltip("genre:N"),
                alt.Tooltip("plays:Q", format=","),
                alt.Tooltip("share_of_hour:Q", title="share of the hour", format=".0%"),
            ],
        )
        .properties(width=WIDTH - 160, height=220)
    )


def longest_sessions(marts: Marts) -> alt.TopLevelMixin | None:
    rows = marts["sessions_longest"]
    if not rows:
        return None
    return (
        alt.Chart(values(rows))
        .transform_calculate(label="timeFormat(toDate(datum.started_at_local), '%a %Y-%m-%d %H:%M')")
        .mark_bar(color=BLUE)
        .encode(
            x=alt.X("duration_minutes:Q", title="minutes from first to last play"),
            y=alt.Y("label:N", sort=alt.SortField("length_rank"), title=None),
            tooltip=[
                alt.Tooltip("started_at_local:T", title="from", format="%Y-%m-%d %H:%M"),
                alt.Tooltip("ended_at_local:T", title="to", format="%Y-%m-%d %H:%M"),
                alt.Tooltip("plays:Q", format=","),
                alt.Tooltip("minutes:Q", title="minutes listened", format=",.0f"),
                alt.Tooltip("artists:Q"),
                alt.Tooltip("top_artist_name:N", title="most played"),
            ],
        )
        .properties(width=WIDTH - 200, height=alt.Step(18))
    )


def session_lengths(marts: Marts) -> alt.TopLevelMixin | None:
    rows = marts["session_lengths"]
    if not rows:
        return None
    return (
        alt.Chart(values(rows))
        .mark_bar(color="#8c6bb1")
        .encode(
            x=alt.X("bucket:N", sort=alt.SortField("bucket_order"), title="session length"),
            y=alt.Y("sessions:Q", title="sessions"),
            tooltip=[alt.Tooltip("bucket:N", title="length"), alt.Tooltip("sessions:Q", format=",")],
        )
        .properties(width=WIDTH - 260, height=160)
    )


def artist_runs(marts: Marts) -> alt.TopLevelMixin | None:
    rows = [row for row in marts["streaks"] if row["kind"] == "artist"]
    if not rows:
        return None
    return (
        alt.Chart(values(rows))
        .transform_calculate(label="datum.rank + '. ' + datum.artist_name")
        .mark_bar(color="#8c6bb1")
        .encode(
            x=alt.X("length:Q", title="plays in a row"),
            y=alt.Y("label:N", sort=alt.SortField("rank"), title=None),
            tooltip=[
                alt.Tooltip("artist_name:N", title="artist"),
                alt.Tooltip("length:Q", title="plays in a row"),
                alt.Tooltip("minutes:Q", format=",.0f"),
                alt.Tooltip("started_at_local:T", title="from", format="%Y-%m-%d %H:%M"),
                alt.Tooltip("ended_at_local:T", title="to", format="%Y-%m-%d %H:%M"),
            ],
        )
        .properties(width=WIDTH - 260, height=alt.Step(18))
    )


def most_skipped(marts: Marts) -> alt.TopLevelMixin | None:
    rows = [row for row in marts["skips"] if row["dimension"] in ("track", "artist")]
    if not rows:
        return None
    kinds = [k for k in ("track", "artist") if any(row["dimension"] == k for row in rows)]
    kind = alt.param(name="skipped", value=kinds[0], bind=alt.binding_radio(options=kinds, name="Most skipped "))
    return (
        alt.Chart(values(rows))
        .transform_filter("datum.dimension == skipped && datum.skips_rank <= 15")
        .transform_calculate(
            label="datum.skips_rank + '. ' + datum.value + (datum.artist_name ? ' — ' + datum.artist_name : '')"
        )
        .mark_bar(color="#d95f02")
        .encode(
            x=alt.X("skips:Q", title="skips"),
            y=alt.Y("label:N", sort=alt.SortField("skips_rank"), title=None, axis=alt.Axis(labelLimit=360)),
            tooltip=[
                alt.Tooltip("value:N", title="name"),
                alt.Tooltip("artist_name:N", title="artist"),
                alt.Tooltip("skips:Q", format=","),
                alt.Tooltip("listens:Q", format=","),
                alt.Tooltip("skip_rate:Q", title="skip rate", format=".0%"),
            ],
        )
        .add_params(kind)
        .properties(width=WIDTH - 380, height=alt.Step(18))
    )


def skip_rate(marts: Marts, dimension: str, title: str) -> alt.TopLevelMixin | None:
    rows = [row for row in marts["skips"] if row["dimension"] == dimension]
    if not any(row["listens"] for row in rows):
        return None
    x = (
        alt.X("hour:O", title=title)
        if dimension == "hour"
        else alt.X("value:N", sort="-y", title=title, axis=alt.Axis(labelAngle=-30, labelLimit=160))
    )
    return (
        alt.Chart(values(rows))
        .transform_calculate(hour="toNumber(datum.value)")
        .mark_bar(color="#d95f02")
        .encode(
            x=x,
            y=alt.Y("skip_rate:Q", title="skip rate", axis=alt.Axis(format="%")),
            tooltip=[
                alt.Tooltip("value:N", title=title),
                alt.Tooltip("skip_rate:Q", title="skip rate", format=".1%"),
                alt.Tooltip("skips:Q", format=","),
                alt.Tooltip("listens:Q", format=","),
            ],
        )
        .properties(width=WIDTH - 300 if dimension == "platform" else WIDTH - 120, height=160)
    )


@cache
def country_shapes() -> dict[str, object]:
    shapes: dict[str, object] = json.loads(Path(SHAPES).read_text(encoding="utf-8"))
    return shapes


def origin_map(marts: Marts) -> alt.TopLevelMixin | None:
    """A choropleth of plays by the artists' country, with their cities as dots (bundled shapes, no tiles)."""
    countries = [row for row in marts["origin_countries"] if row["is_known"]]
    cities = marts["origin_cities"]
    if not countries and not cities:
        return None
    # the shapes by name: specs() puts the topology itself in the spec's datasets after validation (validating
    # the 740 kB of arcs against the Vega-Lite schema would take seconds and check nothing of ours)
    shapes = alt.NamedData(name=SHAPES_DATASET, format=alt.DataFormat(type="topojson", feature="countries"))
    projection = "equalEarth"
    choropleth = (
        alt.Chart(shapes)
        .mark_geoshape(stroke="#fff", strokeWidth=0.4)
        .transform_lookup(
            lookup="id",
            from_=alt.LookupData(
                data=values(countries), key="country_code", fields=["country_name", "plays", "minutes", "artists"]
            ),
        )
        .encode(
            color=alt.Color("plays:Q", scale=alt.Scale(type="log", scheme="blues"), title="plays"),
            tooltip=[
                alt.Tooltip("country_name:N", title="country"),
                alt.Tooltip("plays:Q", format=","),
                alt.Tooltip("minutes:Q", format=",.0f"),
                alt.Tooltip("artists:Q"),
            ],
        )
        .project(projection)
    )
    # every country in grey beneath: the lookup above keeps only the countries with plays
    land = (
        alt.Chart(shapes)
        .mark_geoshape(fill="#e6e8ec", stroke="#fff", strokeWidth=0.4)
        .encode(tooltip=alt.Tooltip("properties.name:N", title="country"))
        .project(projection)
    )
    layers: list[alt.Chart] = [land, choropleth]
    if cities:
        layers.append(
            alt.Chart(values(cities))
            .mark_circle(color="#d95f02", opacity=0.75, stroke="#fff", strokeWidth=0.5)
            .encode(
                longitude="long:Q",
                latitude="lat:Q",
                size=alt.Size("plays:Q", scale=alt.Scale(range=[12, 400]), legend=None),
                tooltip=[
                    alt.Tooltip("city_name:N", title="place"),
                    alt.Tooltip("country_name:N", title="country"),
                    alt.Tooltip("plays:Q", format=","),
                    alt.Tooltip("artists:Q"),
                    alt.Tooltip("top_artist_name:N", title="most played"),
                ],
            )
            .project(projection)
        )
    return alt.layer(*layers).properties(width=WIDTH, height=360)


def share_bars(rows: Rows, field: str, title: str, colour: str = BLUE) -> alt.TopLevelMixin | None:
    if not rows:
        return None
    return (
        alt.Chart(values(rows))
        .transform_calculate(known=f"datum.{field} != 'Unknown'")
        .mark_bar()
        .encode(
            x=alt.X("plays:Q", title="plays"),
            y=alt.Y(f"{field}:N", sort="-x", title=None),
            color=alt.condition("datum.known", alt.value(colour), alt.value(GREY)),
            tooltip=[
                alt.Tooltip(f"{field}:N", title=title),
                alt.Tooltip("plays:Q", format=","),
                alt.Tooltip("minutes:Q", format=",.0f"),
                alt.Tooltip("share_of_plays:Q", title="share of plays", format=".1%"),
            ],
        )
        .properties(width=WIDTH - 300, height=alt.Step(18))
    )


def continents(marts: Marts) -> alt.TopLevelMixin | None:
    return share_bars(marts["origin_continents"], "continent", "continent")


def top_countries(marts: Marts) -> alt.TopLevelMixin | None:
    return share_bars(marts["origin_countries"][:20], "country_name", "country")


def release_decades(marts: Marts) -> alt.TopLevelMixin | None:
    rows = marts["release_decades"]
    if not rows:
        return None
    return (
        alt.Chart(values(rows))
        .transform_calculate(known="isValid(datum.decade)", order="isValid(datum.decade) ? datum.decade : 9999")
        .mark_bar()
        .encode(
            x=alt.X("decade_label:N", sort=alt.SortField("order"), title="release decade"),
            y=alt.Y("plays:Q", title="plays"),
            color=alt.condition("datum.known", alt.value(BLUE), alt.value(GREY)),
            tooltip=[
                alt.Tooltip("decade_label:N", title="decade"),
                alt.Tooltip("plays:Q", format=","),
                alt.Tooltip("minutes:Q", format=",.0f"),
                alt.Tooltip("share_of_plays:Q", title="share of plays", format=".1%"),
            ],
        )
        .properties(width=WIDTH - 300, height=180)
    )


def music_age(marts: Marts) -> alt.TopLevelMixin | None:
    rows = marts["music_age"]
    if not rows:
        return None
    return (
        alt.Chart(values(rows))
        .mark_bar(color="#6a9f58")
        .encode(
            x=alt.X("age_years:Q", bin=alt.Bin(step=1), title="years between release and play"),
            y=alt.Y("plays:Q", title="plays"),
            tooltip=[
                alt.Tooltip("age_years:Q", title="years old"),
                alt.Tooltip("plays:Q", format=","),
                alt.Tooltip("share_of_plays:Q", title="share of plays", format=".1%"),
            ],
        )
        .properties(width=WIDTH - 300, height=180)
    )


def travel(marts: Marts) -> alt.TopLevelMixin | None:
    rows = marts["travel"]
    if not any(row["conn_country"] for row in rows):  # no listen says where it was played
        return None
    return (
        alt.Chart(values(rows))
        .transform_calculate(where="datum.is_home ? 'home' : (isValid(datum.conn_country) ? 'abroad' : 'unknown')")
        .mark_bar()
        .encode(
            x=alt.X("plays:Q", title="plays"),
            y=alt.Y("country_name:N", sort="-x", title=None),
            color=alt.Color(
                "where:N",
                scale=alt.Scale(domain=["home", "abroad", "unknown"], range=[BLUE, "#d95f02", GREY]),
                title=None,
            ),
            tooltip=[
                alt.Tooltip("country_name:N", title="listened in"),
                alt.Tooltip("plays:Q", format=","),
                alt.Tooltip("minutes:Q", format=",.0f"),
                alt.Tooltip("days:Q", title="days"),
                alt.Tooltip("first_played_at_local:T", title="first", format="%Y-%m-%d"),
                alt.Tooltip("last_played_at_local:T", title="last", format="%Y-%m-%d"),
            ],
        )
        .properties(width=WIDTH - 300, height=alt.Step(18))
    )


def played_abroad(marts: Marts) -> alt.TopLevelMixin | None:
    rows = marts["played_abroad"]
    if not rows:
        return None
    countries = sorted({str(row["country_name"]) for row in rows})
    country = alt.param(
        name="abroad", value=countries[0], bind=alt.binding_select(options=countries, name="Played in ")
    )
    return (
        alt.Chart(values(rows))
        .transform_filter("datum.country_name == abroad")
        .transform_calculate(label="datum.rank + '. ' + datum.track_name + ' — ' + datum.artist_name")
        .mark_bar(color="#d95f02")
        .encode(
            x=alt.X("plays:Q", title="plays"),
            y=alt.Y("label:N", sort=alt.SortField("rank"), title=None, axis=alt.Axis(labelLimit=360)),
            tooltip=[
                alt.Tooltip("track_name:N", title="track"),
                alt.Tooltip("artist_name:N", title="artist"),
                alt.Tooltip("plays:Q", format=","),
                alt.Tooltip("minutes:Q", format=",.0f"),
            ],
        )
        .add_params(country)
        .properties(width=WIDTH - 400, height=alt.Step(18))
    )


# every chart of the page, by the name its element carries (data-chart), in page order
CHARTS: dict[str, Callable[[Marts], alt.TopLevelMixin | None]] = {
    "overview_years": overview_years,
    "top_items": top_items,
    "minutes_over_time": minutes_over_time,
    "new_artists": new_artists,
    "artist_first_last": artist_first_last,
    "clock": clock,
    "genres_by_hour": genres_by_hour,
    "longest_sessions": longest_sessions,
    "session_lengths": session_lengths,
    "artist_runs": artist_runs,
    "most_skipped": most_skipped,
    "skip_rate_by_hour": lambda marts: skip_rate(marts, "hour", "hour of the day"),
    "skip_rate_by_platform": lambda marts: skip_rate(marts, "platform", "platform"),
    "origin_map": origin_map,
    "continents": continents,
    "top_countries": top_countries,
    "release_decades": release_decades,
    "music_age": music_age,
    "travel": travel,
    "played_abroad": played_abroad,
}


def specs(marts: Marts) -> dict[str, Spec | None]:
    """Every chart's Vega-Lite spec (a dict), or None for a chart without data."""
    out: dict[str, Spec | None] = {}
    for name, build in CHARTS.items():
        chart = build(marts)
        spec = chart.to_dict() if chart is not None else None
        if spec is not None and name == "origin_map":
            datasets = spec.setdefault("datasets", {})
            assert isinstance(datasets, dict)
            datasets[SHAPES_DATASET] = country_shapes()
        out[name] = spec
    return out
