"""What the report reads: the report marts of the warehouse (models/reports), nothing else, as JSON-ready rows.

Each query below reads one mart of schema main; the report shows these rows and computes nothing but
formatting. A warehouse built before a mart existed lacks it: `MissingMarts` names them and says to run
`dbt build`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

# the marts the report reads and the rows it takes of each (a mart may hold more than the report shows)
QUERIES: dict[str, str] = {
    "overview": "select * from main.report_overview order by year nulls first",
    "top_items": "select * from main.report_top_items order by period, entity, measure, rank",
    "listening_by_period": "select * from main.report_listening_by_period order by grain, period_start",
    "artist_first_last": "select * from main.report_artist_first_last where plays_rank <= 20 order by plays_rank",
    "clock": "select * from main.report_clock order by weekday, hour",
    "genres_by_hour": "select * from main.report_genres_by_hour order by hour, genre_rank",
    "sessions_longest": "select * from main.report_sessions where length_rank <= 10 order by length_rank",
    "session_summary": """
        select count(*) as sessions, coalesce(median(duration_minutes), 0) as median_minutes
        from main.report_sessions""",
    "session_lengths": """
        select
            case
                when duration_minutes < 15 then 'under 15 min'
                when duration_minutes < 30 then '15-30 min'
                when duration_minutes < 60 then '30-60 min'
                when duration_minutes < 120 then '1-2 h'
                when duration_minutes < 240 then '2-4 h'
                else '4 h and more'
            end as bucket,
            min(duration_minutes) as bucket_order,
            count(*) as sessions
        from main.report_sessions
        group by bucket
        order by bucket_order""",
    "streaks": "select * from main.report_streaks order by kind, rank",
    "skips": "select * from main.report_skips order by dimension, skips_rank nulls last, value",
    "origin_countries": "select * from main.report_origin_countries order by plays desc, country_name",
    "origin_continents": "select * from main.report_origin_continents order by plays desc, continent",
    "origin_cities": "select * from main.report_origin_cities order by plays desc, city_name",
    "release_decades": "select * from main.report_release_decades order by decade nulls last",
    "music_age": "select * from main.report_music_age order by age_years",
    "listen_sources": "select * from main.report_listen_sources",
    "year_in_review": "select * from main.report_year_in_review order by year desc",
    "travel": "select * from main.report_travel order by plays desc, country_name",
    "played_abroad": "select * from main.report_played_abroad order by country_name, rank",
}


class MissingMarts(Exception):
    """The warehouse lacks report marts (built before they existed, or the build never finished)."""


@dataclass
class Marts:
    warehouse: Path
    rows: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    listens: int = 0  # every listen of the fact table, plays or not (0: an empty history)

    def __getitem__(self, name: str) -> list[dict[str, object]]:
        return self.rows[name]


def plain(value: object) -> object:
    """A value JSON and Vega can take: dates and times as ISO strings, decimals as floats."""
    if isinstance(value, datetime):
        return value.isoformat(sep="T", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def fetch(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, object]]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [{name: plain(value) for name, value in zip(names, row, strict=True)} for row in cursor.fetchall()]


def load(warehouse: Path) -> Marts:
    """Every mart the report shows, from the warehouse opened read-only."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        present = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'main'"
            ).fetchall()
        }
        needed = sorted({word for sql in QUERIES.values() for word in sql.split() if word.startswith("main.")})
        missing = [name for name in needed if name.removeprefix("main.") not in present]
        if missing:
            names = ", ".join(missing)
            raise MissingMarts(f"{warehouse} lacks {names}: build the warehouse again (make dbt, or dbt build)")
        marts = Marts(warehouse=Path(warehouse))
        for name, sql in QUERIES.items():
            marts.rows[name] = fetch(con, sql)
    marts.listens = sum(int(str(row["listens"])) for row in marts.rows["listen_sources"])
    return marts
