"""scripts/report.py: the offline HTML report of the star schema, on the bundled sample (its charts tie out to
the fact), on tiny warehouses (explicit empty states), and its charts well-formed SVG (checked with the
standard library: no browser, nothing installed)."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import duckdb
import pytest

from scripts.report import main as report_main
from scripts.report import write_report
from tests.conftest import REPO, write_history
from tests.test_dbt_models import assert_ok, run_dbt

CHARTS = (
    "last24_artists",
    "plays_by_hour",
    "plays_by_weekday",
    "plays_by_time_of_day",
    "top_genres",
    "artist_map",
    "plays_by_continent",
    "plays_by_country",
    "plays_by_year",
    "minutes_by_month",
)


class ReportParser(HTMLParser):
    """Every chart (svg data-chart) with its data elements, the empty states and every external reference."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, list[dict[str, str]]] = {}
        self.empty: set[str] = set()
        self.kpis: dict[str, float] = {}
        self.external: list[str] = []
        self.tags: defaultdict[str, int] = defaultdict(int)
        self._chart: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags[tag] += 1
        for key in ("src", "href"):
            if re.match(r"\s*(https?:)?//", a.get(key, "")):
                self.external.append(a[key])
        if tag == "svg" and "data-chart" in a:
            assert "chart" in a.get("class", "").split()
            self._chart = a["data-chart"]
            self.charts[self._chart] = []
        elif tag == "p" and "empty" in a.get("class", "").split():
            self.empty.add(a["data-chart"])
        elif "data-kpi" in a:
            self.kpis[a["data-kpi"]] = float(a["data-value"])
        elif self._chart and "data-value" in a:
            assert tag in ("rect", "circle"), tag
            assert "data-label" in a
            self.charts[self._chart].append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._chart = None


def parse(path: Path) -> ReportParser:
    parser = ReportParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def values(parser: ReportParser, chart: str) -> list[float]:
    return [float(e["data-value"]) for e in parser.charts[chart]]


def scalar(con: duckdb.DuckDBPyConnection, sql: str):
    return con.execute(sql).fetchone()[0]


@pytest.fixture(scope="module")
def sample_report(sample, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    return write_report(Path(sample["data_dir"]) / "music_tracker.duckdb", out)


# ---------------------------------------------------------------------------------------------- the sample


# the report counts plays only (listens of 30 s and more, or of unknown length)
PLAYS = "(select * from main.fact_track_played where counts_as_play)"


def test_sample_report_has_every_chart_tied_to_the_fact(sample, sample_report: Path):
    con = sample["con"]
    report = parse(sample_report)
    assert set(report.charts) == set(CHARTS), report.empty
    assert report.empty == set()
    plays = scalar(con, f"select count(*) from {PLAYS}")
    assert plays == 416
    assert len(report.charts["plays_by_hour"]) == 24
    assert [e["data-label"] for e in report.charts["plays_by_hour"]] == [f"{h:02d}" for h in range(24)]
    # weekdays: Monday first, each bar the plays whose local date falls on that day (weekday() counted here, in
    # Python, not with the report's isodow)
    assert [e["data-label"] for e in report.charts["plays_by_weekday"]] == ["Mon", "Tue", "Wed", "Thu", "Fri",
                                                                          "Sat", "Sun"]  # fmt: skip
    on_day = Counter(ts.weekday() for (ts,) in con.execute(f"select played_at_local from {PLAYS}").fetchall())
    assert values(report, "plays_by_weekday") == [on_day[d] for d in range(7)]
    assert len(set(on_day.values())) > 1  # the days differ, so a shifted mapping would show
    assert len(report.charts["plays_by_time_of_day"]) == 4
    for chart in ("plays_by_hour", "plays_by_weekday", "plays_by_time_of_day", "plays_by_year"):
        assert sum(values(report, chart)) == plays, chart
    hourly = dict(con.execute(f"select time_key // 60, count(*) from {PLAYS} group by 1").fetchall())
    assert values(report, "plays_by_hour") == [hourly.get(h, 0) for h in range(24)]
    total_minutes = scalar(con, f"select sum(minutes_played) from {PLAYS}")
    assert sum(values(report, "minutes_by_month")) == pytest.approx(total_minutes)
    # the map: one dot per artist of dim_artist with coordinates, sized by its plays
    located = dict(
        con.execute(
            f"""
            select a.artist_name, count(f.play_key) from main.dim_artist as a
            left join {PLAYS} as f using (artist_key)
            where a.lat is not null and a.long is not null group by all
            """
        ).fetchall()
    )
    dots = report.charts["artist_map"]
    assert len(dots) == scalar(con, "select count(*) from main.dim_artist where lat is not null and long is not null")
    assert len(dots) > 0
    assert {d["data-label"]: float(d["data-value"]) for d in dots} == located
    # continents: every located play; the note says how many are not
    located_plays = scalar(
        con,
        f"select count(*) from {PLAYS} join main.dim_artist using (artist_key) where continent is not null",
    )
    assert sum(values(report, "plays_by_continent")) == located_plays
    assert f'data-unlocated="{plays - located_plays}"' in sample_report.read_text()
    # genres: coloured by quintile, the most played first
    genres = values(report, "top_genres")
    assert genres == sorted(genres, reverse=True)
    assert genres[0] == scalar(con, "select max(genre_plays) from main.fact_artist_genre")
    # the last 24 hours
    last24 = con.execute(
        f"""
        select coalesce(sum(minutes_played), 0), count(distinct track_key), count(distinct artist_key), count(*)
        from {PLAYS}
        where played_at_local > (select max(played_at_local) from {PLAYS}) - interval 24 hours
        """
    ).fetchone()
    assert report.kpis["minutes"] == pytest.approx(last24[0], abs=0.05)
    assert (report.kpis["tracks"], report.kpis["artists"], report.kpis["plays"]) == last24[1:]
    assert sum(values(report, "last24_artists")) == last24[3]


def test_sample_report_is_self_contained(sample_report: Path):
    text = sample_report.read_text(encoding="utf-8")
    report = parse(sample_report)
    assert report.external == []
    assert report.tags["link"] == 0 and report.tags["img"] == 0 and report.tags["iframe"] == 0
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
    assert "@import" not in text and "url(" not in text


# ---------------------------------------------------------------------------------------------- tiny warehouses


GEO_CHARTS = {"artist_map", "plays_by_continent", "plays_by_country", "top_genres"}


# one play, of a track and an artist whose names need escaping: the warehouse of the two tests below
UNSAFE_ARTIST = '<script>alert("x")</script> O\'Brien&Co'


@pytest.fixture(scope="module")
def one_play(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("one_play") / "data"
    write_history(
        data_dir,
        [{"track_name": "T <b>", "artist": UNSAFE_ARTIST, "played_at": datetime(2025, 6, 1, 22, 15),
          "duration_ms": 180000}],
    )  # fmt: skip
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LISTENER_TIMEZONE", "UTC")  # local time is UTC: the hour and the day below are the ones shown
        assert_ok(run_dbt(data_dir))
    return data_dir / "music_tracker.duckdb"


def test_names_are_escaped(one_play: Path, tmp_path: Path):
    con = duckdb.connect(str(one_play), read_only=True)
    try:
        (stored,) = con.execute("select artist_name from main.dim_artist").fetchone()
    finally:
        con.close()
    assert stored == '<script>alert("x")</script> O\'Brien'  # the first of its two credited artists ("… & Co")
    out = write_report(one_play, tmp_path / "r.html")
    text = out.read_text(encoding="utf-8")
    assert "<script>" not in text and "<b>" not in text
    assert f'data-label="{html.escape(stored, quote=True)}"' in text
    labels = [e["data-label"] for e in parse(out).charts["last24_artists"]]
    assert labels == [stored]


def test_one_play_renders_empty_states(one_play: Path, tmp_path: Path):
    out = write_report(one_play, tmp_path / "report.html")
    report = parse(out)
    assert report.empty == GEO_CHARTS
    assert set(report.charts) == set(CHARTS) - GEO_CHARTS
    assert values(report, "plays_by_hour") == [1 if h == 22 else 0 for h in range(24)]
    assert values(report, "plays_by_weekday") == [0, 0, 0, 0, 0, 0, 1]  # 2025-06-01 is a Sunday
    assert values(report, "plays_by_year") == [1]
    assert values(report, "minutes_by_month") == [3.0]
    assert report.kpis == {"minutes": 3.0, "plays": 1, "tracks": 1, "artists": 1}
    assert '<p class="empty" data-chart="artist_map">No plays with coordinates yet</p>' in out.read_text()


# Plays without any geography on known days, and (in June 2024, alone in its month and at 21 h) a 2-minute listen
# reported by Spotify's export and scrobbled to Last.fm, then two skips (5 s, 0 ms) of the next tracks: the
# warehouse of the two tests below.
NO_GEOGRAPHY = [
    ("A", "Band & Co", datetime(2024, 12, 31, 23, 0)),  # a Tuesday
    ("B", "Band & Co", datetime(2025, 1, 1, 1, 0)),  # a Wednesday
    ("C", "Other", datetime(2025, 1, 3, 9, 30)),  # a Friday
    ("D", "Other", datetime(2024, 12, 29, 12, 0)),  # a Sunday
    ("E", "Other", datetime(2024, 12, 29, 13, 0)),  # the same Sunday
    ("F", "Other", datetime(2024, 12, 23, 8, 0)),  # a Monday
]
LISTEN_START = datetime(2024, 6, 1, 21, 0, 0)  # a Saturday
LISTEN_END = LISTEN_START + timedelta(minutes=2)


def skips_and_a_second_report() -> list[dict[str, object]]:
    ext = {"play_source": "spotify_extended_history", "track_id": "4uLU6hMCjMI75M1A2tKUQC", "album": "X"}
    start, end = LISTEN_START, LISTEN_END
    return [
        {**ext, "track_name": "Song", "artist": "Band", "played_at": end, "ms_played": 120_000, "started_at": start},
        {"play_source": "lastfm", "track_name": "Song", "artist": "Band", "played_at": start, "started_at": start},
        {**ext, "track_id": "6rqhFgbbKwnb9MLmUQDhG6", "track_name": "Next", "artist": "Band",
         "played_at": end + timedelta(seconds=6), "ms_played": 5_000},
        {**ext, "track_id": "7ouMYWpwJ422jRcDASZB7P", "track_name": "Last", "artist": "Band",
         "played_at": end + timedelta(seconds=7), "ms_played": 0},
    ]  # fmt: skip


@pytest.fixture(scope="module")
def no_geography(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("no_geography") / "data"
    plays = [{"track_name": t, "artist": a, "played_at": at, "duration_ms": 180000} for t, a, at in NO_GEOGRAPHY]
    write_history(data_dir, plays + skips_and_a_second_report())
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LISTENER_TIMEZONE", "UTC")  # local time is UTC: the hours and days above are the ones shown
        assert_ok(run_dbt(data_dir))
    return data_dir / "music_tracker.duckdb"


def test_no_geography_renders_empty_states(no_geography: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "exports" / "report.html"
    report_main(["--warehouse", str(no_geography), "--out", str(out)])
    assert capsys.readouterr().out.strip() == str(out)
    report = parse(out)
    assert report.empty == GEO_CHARTS
    assert sum(values(report, "plays_by_hour")) == 7  # the six, and the one play of June
    assert values(report, "plays_by_weekday") == [1, 1, 1, 0, 1, 1, 2]  # Mon … Sun
    assert values(report, "plays_by_year") == [5, 2]
    # every month from the first play's to the last's; 3 minutes a play (June: the 2-minute listen)
    assert [e["data-label"] for e in report.charts["minutes_by_month"]] == [
        *(f"2024-{month:02d}" for month in range(6, 13)),
        "2025-01",
    ]
    assert values(report, "minutes_by_month") == [2.0, 0, 0, 0, 0, 0, 12.0, 6.0]
    # the last 24 hours before the latest play (Jan 3, 09:30) hold only that play
    assert report.kpis["plays"] == 1
    assert [e["data-label"] for e in report.charts["last24_artists"]] == ["Other"]


def test_missing_warehouse_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exit_:
        report_main(["--warehouse", str(tmp_path / "nope.duckdb"), "--out", str(tmp_path / "r.html")])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.startswith(f"report: no warehouse at {tmp_path / 'nope.duckdb'}: run `make demo`")
    assert not (tmp_path / "r.html").exists()


# ---------------------------------------------------------------------------------------------- `make report`


def make_report(tmp_path: Path, demo_dir: Path) -> subprocess.CompletedProcess[str]:
    """`make report` as the Makefile runs it (from the repository root), with DATA_DIR in tmp_path/data and the
    demo's folder (data/demo for `make demo`) at demo_dir."""
    env = {k: v for k, v in os.environ.items() if k not in ("DUCKDB_PATH", "DATA_DIR", "RWS_DEMO_DIR")}
    env.update({"DATA_DIR": str(tmp_path / "data"), "RWS_DEMO_DIR": str(demo_dir), "PYTHONPATH": str(REPO)})
    return subprocess.run(
        [sys.executable, "-m", "scripts.report"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def test_make_report_after_make_demo_writes_the_demos_report(sample, tmp_path: Path):
    demo = tmp_path / "demo"  # what `make demo` leaves: data/demo/music_tracker.duckdb
    demo.mkdir()
    shutil.copy2(sample["data_dir"] / "music_tracker.duckdb", demo / "music_tracker.duckdb")
    (tmp_path / "data").mkdir()  # the user's own DATA_DIR: no warehouse yet
    result = make_report(tmp_path, demo)
    assert result.returncode == 0, result.stderr
    out = demo / "exports" / "report.html"
    assert result.stdout.splitlines() == [
        f"report: no warehouse of your own yet ({tmp_path / 'data' / 'music_tracker.duckdb'}), so this is the "
        f"demo's report: {out}. Your own comes from your listening history: "
        "`uv run python -m extractors import PATH…`, then `make enrich`"
    ]
    assert result.stderr == ""
    report = parse(out)
    assert set(report.charts) == set(CHARTS) and report.kpis["plays"] > 0
    assert "empty-history" not in out.read_text(encoding="utf-8")
    assert not (tmp_path / "data" / "exports").exists()  # nothing written where the user's report goes


def test_make_report_without_any_warehouse_says_how_to_get_one(tmp_path: Path):
    (tmp_path / "data").mkdir()
    result = make_report(tmp_path, tmp_path / "no_demo_here")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"report: no warehouse at {tmp_path / 'data' / 'music_tracker.duckdb'}: run `make demo` for the bundled "
        "sample's, or import your listening history (`uv run python -m extractors import PATH…`), then run "
        "`make enrich` to build your own"
    ]
    assert list(tmp_path.rglob("*.html")) == []


def test_a_warehouse_whose_build_never_finished_says_to_build_it(tmp_path: Path):
    (tmp_path / "data").mkdir()
    con = duckdb.connect(str(tmp_path / "data" / "music_tracker.duckdb"))  # a first build stopped early
    con.execute("create table spotify_artists (artist_id varchar)")
    con.close()
    result = make_report(tmp_path, tmp_path / "no_demo_here")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"report: {tmp_path / 'data' / 'music_tracker.duckdb'} has no complete star schema (")
    assert line.endswith("); build it: make dbt") and "fact_track_played" in line
    assert list(tmp_path.rglob("*.html")) == []


@pytest.mark.slow
def test_make_report_of_an_empty_history_says_it_is_empty_and_how_to_fill_it(empty_build: Path, tmp_path: Path):
    # `make enrich` on a fresh checkout: every extractor finds nothing to do, dbt builds an empty warehouse
    # (conftest's empty_build, copied: the report writes beside it)
    (tmp_path / "data").mkdir()
    shutil.copy2(empty_build / "music_tracker.duckdb", tmp_path / "data" / "music_tracker.duckdb")
    demo = tmp_path / "demo"  # a demo's warehouse does not stand in for the user's own, even empty, one
    demo.mkdir()
    shutil.copy2(tmp_path / "data" / "music_tracker.duckdb", demo / "music_tracker.duckdb")
    result = make_report(tmp_path, demo)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "data" / "exports" / "report.html"
    assert result.stdout.splitlines() == [
        f"report: your listening history is empty ({tmp_path / 'data' / 'music_tracker.duckdb'} holds no "
        f"listens), as {out} says; to fill it, import your listening history "
        "(`uv run python -m extractors import PATH…`), then run `make enrich`"
    ]
    assert not (demo / "exports").exists()
    text = out.read_text(encoding="utf-8")
    assert '<section id="empty-history" class="notice" data-empty-history="true">' in text
    assert "<h2>Your listening history is empty</h2>" in text
    assert "<code>uv run python -m extractors import PATH…</code><br><code>make enrich</code>" in text
    assert "<p>Your listening history is empty. Generated" in text  # the header says it too
    report = parse(out)
    assert report.charts == {} and report.empty == set(CHARTS)  # every chart an explicit empty state


# ---------------------------------------------------------------------------------------------- well-formed SVG


SVG_BLOCK = re.compile(r"<svg\b.*?</svg>", re.S)
GEOMETRY = {"rect": ("x", "y", "width", "height"), "circle": ("cx", "cy", "r")}


def test_every_chart_is_well_formed_svg_with_its_data_elements(sample_report: Path):
    """What a browser needs to draw each chart, checked with the standard library alone (no browser): each
    <svg> parses as XML, has a positive viewBox, and every datum is a rect/circle with numeric, non-negative
    geometry inside that box and a <title> tooltip naming its value."""
    text = sample_report.read_text(encoding="utf-8")
    blocks = SVG_BLOCK.findall(text)
    assert len(blocks) == len(CHARTS)
    written = parse(sample_report)
    seen = {}
    for block in blocks:
        svg = ElementTree.fromstring(block)  # raises on anything not well-formed
        assert svg.tag == "svg"
        name = svg.get("data-chart")
        assert svg.get("class") == "chart" and svg.get("role") == "img"
        x0, y0, width, height = (float(v) for v in svg.get("viewBox", "").split())
        assert (x0, y0) == (0, 0) and width > 0 and height > 0, name
        assert (float(svg.get("width")), float(svg.get("height"))) == (width, height), name
        data = [e for e in svg.iter() if e.get("data-value") is not None]
        for e in data:
            assert e.tag in GEOMETRY, (name, e.tag)
            numbers = {a: float(e.get(a)) for a in GEOMETRY[e.tag]}
            assert all(v >= 0 for v in numbers.values()), (name, numbers)
            if e.tag == "rect":
                assert numbers["x"] + numbers["width"] <= width + 0.05, (name, numbers)
                assert numbers["y"] + numbers["height"] <= height + 0.05, (name, numbers)
            else:
                assert numbers["cx"] <= width and numbers["cy"] <= height, (name, numbers)
            [title] = e.findall("title")
            assert title.text and title.text.startswith(e.get("data-label")), (name, title.text)
        seen[name] = len(data)
    assert seen == {k: len(v) for k, v in written.charts.items()}
    assert seen["plays_by_hour"] == 24 and seen["plays_by_weekday"] == 7


def test_skips_and_a_second_report_of_a_listen_are_not_plays(no_geography: Path, tmp_path: Path):
    """The 2-minute listen reported twice and the two skips after it (June 2024, alone in its month and at
    21 h): the page shows one play of 2 minutes."""
    report = parse(write_report(no_geography, tmp_path / "report.html"))
    assert values(report, "plays_by_hour")[21] == 1
    months = {e["data-label"]: float(e["data-value"]) for e in report.charts["minutes_by_month"]}
    assert months["2024-06"] == 2.0
