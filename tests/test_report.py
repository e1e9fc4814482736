"""scripts/report: the offline HTML report of the report marts, opened in a real headless Chromium with the network
off (tests/browser.py): every chart draws marks, nothing is logged as an error, nothing is fetched, the selectors
change what is shown, and what is drawn ties out with the marts (which their dbt tests tie out with the fact
table). Also the command's behaviour without a warehouse, on an empty history and on a half-built warehouse."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from scripts.report import main as report_main
from scripts.report import write_report
from scripts.report.charts import CHARTS
from tests.browser import Opened, launched, opened
from tests.conftest import REPO, write_history
from tests.test_dbt_models import assert_ok, run_dbt


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def browser():
    with launched() as chromium:
        yield chromium


PLATFORMS = ("ios", "ios", "ios", "android", "web_player", "osx")
# (first day, days, conn_country): home is Portugal; a week in Japan, a weekend in Spain
TRIPS = ((date(2026, 9, 1), 30, "PT"), (date(2026, 10, 1), 7, "JP"), (date(2026, 10, 8), 20, "PT"),
         (date(2026, 10, 28), 3, "ES"), (date(2026, 10, 31), 19, "PT"))  # fmt: skip


def extended_history(tracks: list[dict], seed: int = 15) -> list[dict]:
    """Three months of a listener's Spotify Extended history over the sample's tracks, as the export has it:
    evening sessions of albums played through, shuffles with skips (5-25 s, `skipped`, `fwdbtn`), a track
    replayed at once, a phone most days and a laptop some, listened at home and on two trips abroad."""
    rng = random.Random(seed)
    albums: dict[str, list[dict]] = {}
    for track in tracks:
        albums.setdefault(track["album_name"] or "", []).append(track)
    rows: list[dict] = []
    for first, days, country in TRIPS:
        for day in range(days):
            clock = datetime.combine(first + timedelta(days=day), time(7, 0)) + timedelta(hours=rng.choice([0, 11, 13]))
            platform = rng.choice(PLATFORMS)
            for _session in range(rng.choice([1, 1, 2])):
                # half the sessions an album played through, the others a shuffle of 8 over everything
                queue = rng.choice(list(albums.values())) if rng.random() < 0.5 else rng.sample(tracks, 8)
                for track in queue[:10]:
                    length = int(track["duration_ms"] or 200_000)
                    skipped = rng.random() < 0.2
                    heard = rng.randint(5_000, 25_000) if skipped else length
                    for _again in range(2 if rng.random() < 0.05 else 1):
                        clock += timedelta(milliseconds=heard + 1_000)
                        rows.append({
                            "play_source": "spotify_extended_history", "user_id": "sample-user",
                            "track_id": track["track_id"], "track_uri": f"spotify:track:{track['track_id']}",
                            "track_name": track["track_name"], "album": track["album_name"],
                            "artist": track["artist_name"], "played_at": clock, "ms_played": heard,
                            "reason_start": "trackdone", "reason_end": "fwdbtn" if skipped else "trackdone",
                            "skipped": skipped, "shuffle": len(queue) == 8, "offline": False,
                            "platform": platform, "conn_country": country,
                        })  # fmt: skip
                clock += timedelta(hours=rng.choice([1, 2, 3]))
    return rows


@pytest.fixture(scope="module")
def listener(sample, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The enriched sample, plus three months of Extended history over its tracks (skips, platforms, trips
    abroad, albums played through), built again: a warehouse where every chart of the report has data."""
    data_dir = tmp_path_factory.mktemp("listener") / "data"
    shutil.copytree(sample["data_dir"], data_dir, ignore=shutil.ignore_patterns("*.wal", "dbt_*", "exports"))
    tracks = rows(
        sample["con"],
        """select tracks.track_id, tracks.track_name, tracks.duration_ms, albums.album_name, artists.artist_name
           from main.fact_track_played as plays
           inner join main.dim_track as tracks on tracks.track_key = plays.track_key
           inner join main.dim_album as albums on albums.album_key = plays.album_key
           inner join main.dim_artist as artists on artists.artist_key = plays.artist_key
           where tracks.track_id is not null
           group by all order by albums.album_name, tracks.track_id""",
    )
    assert len(tracks) > 30
    write_history(data_dir, extended_history(tracks), name="Streaming_History_Audio_2026.parquet")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LISTENER_TIMEZONE", "Europe/Lisbon")
        assert_ok(run_dbt(data_dir))
    con = duckdb.connect(str(data_dir / "music_tracker.duckdb"), read_only=True)
    yield {"data_dir": data_dir, "con": con}
    con.close()


@pytest.fixture(scope="module")
def sample_report(listener, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    return write_report(Path(listener["data_dir"]) / "music_tracker.duckdb", out)


@pytest.fixture(scope="module")
def sample_page(browser, sample_report: Path):
    with opened(browser, sample_report) as page:
        yield page


# ---------------------------------------------------------------------------------------------- the sample


def test_every_chart_draws_marks_offline_without_an_error(listener, sample_page: Opened):
    page = sample_page
    assert page.console_errors == []
    assert page.dialogs == []
    # the page asked for nothing but itself: no script, style, font, shape or tile from anywhere
    assert {url.split(":", 1)[0] for url in page.requests} == {"file"}
    assert len(page.requests) == 1
    drawn = page.page.eval_on_selector_all("div.chart[data-chart]", "els => els.map(e => e.dataset.chart)")
    empty = page.page.eval_on_selector_all("p.empty[data-chart]", "els => els.map(e => e.dataset.chart)")
    assert empty == []
    assert drawn == list(CHARTS)
    for chart in drawn:
        assert page.page.locator(f'div.chart[data-chart="{chart}"] svg.marks').count() == 1, chart
        assert len(page.marks(chart)) > 0, chart
    # vega-embed's menu offers the PNG export of each chart
    assert page.page.locator("div.chart .vega-actions a", has_text="PNG").count() == len(drawn)


def test_the_overview_ties_out(listener, sample_page: Opened):
    con = listener["con"]
    total = rows(con, "select * from main.report_overview where year is null")[0]
    (fact_plays,) = con.execute("select count(*) from main.fact_track_played where counts_as_play").fetchone()
    assert total["plays"] == fact_plays > 0
    kpis = dict(
        sample_page.page.eval_on_selector_all(
            ".kpi[data-kpi]", "els => els.map(e => [e.dataset.kpi, e.querySelector('.value').textContent])"
        )
    )
    assert kpis["plays"] == f"{total['plays']:,}"
    assert kpis["hours"] == f"{total['hours_listened']:,.0f}"
    assert kpis["artists"] == f"{total['artists']:,}"
    years = rows(con, "select year, plays, hours_listened from main.report_overview where year is not null")
    drawn = {d["year"]: d for d in sample_page.data("overview_years")}
    assert {y["year"]: (y["plays"], y["hours_listened"]) for y in years} == {
        year: (d["plays"], d["hours_listened"]) for year, d in drawn.items()
    }
    assert len(years) > 1


def top_shown(page: Opened) -> list[tuple]:
    bars = sorted(page.data("top_items", "rect"), key=lambda d: d["rank"])
    return [(d["rank"], d["item_name"], d["plays"], round(d["minutes"], 6)) for d in bars]


def top_mart(con: duckdb.DuckDBPyConnection, period: str, entity: str, measure: str) -> list[tuple]:
    return [
        (r["rank"], r["item_name"], r["plays"], round(r["minutes"], 6))
        for r in rows(
            con,
            f"""select * from main.report_top_items
                where period = '{period}' and entity = '{entity}' and measure = '{measure}' order by rank""",
        )
    ]


def test_the_tops_selectors_change_what_is_shown_and_tie_out(listener, sample_page: Opened):
    con = listener["con"]
    page = sample_page
    assert top_shown(page) == top_mart(con, "all time", "artist", "plays")  # what the page opens with
    periods = [p for (p,) in con.execute("select distinct period from main.report_top_items").fetchall()]
    assert {"all time", "last 4 weeks", "last 6 months"} <= set(periods) and len(periods) > 3
    shown = {}
    for period in periods:
        page.choose("top_items", "Period", period)
        for entity in ("artist", "track", "genre"):
            page.choose("top_items", "Top", entity)
            for measure in ("plays", "minutes"):
                page.choose("top_items", "By", measure)
                expected = top_mart(con, period, entity, measure)
                assert top_shown(page) == expected, (period, entity, measure)
                shown[period, entity, measure] = expected
    # the selectors did change what is shown: the periods' and the measures' lists differ
    assert len({tuple(v) for v in shown.values()}) > len(periods)
    assert shown["all time", "artist", "plays"] != shown["last 4 weeks", "artist", "plays"]
    # the rank change drawn beside each bar is the mart's
    page.choose("top_items", "Period", "last 6 months")
    page.choose("top_items", "Top", "artist")
    page.choose("top_items", "By", "plays")
    texts = {d["rank"]: d["change"] for d in page.data("top_items", "text")}
    for r in rows(con, "select * from main.report_top_items where period = 'last 6 months' and entity = 'artist' "
                  "and measure = 'plays'"):  # fmt: skip
        change = r["rank_change"]
        expected = (
            ("▲" + str(change) if change > 0 else "▼" + str(-change) if change < 0 else "=")
            if change is not None
            else ("new" if r["is_new"] else "")
        )
        assert texts[r["rank"]] == expected


def test_the_time_charts_tie_out_and_their_grain_selector_works(listener, sample_page: Opened):
    con = listener["con"]
    page = sample_page
    drawn = {}
    for grain in ("week", "month"):
        page.choose("minutes_over_time", "Per", grain)
        points = page.data("minutes_over_time", "area")
        (count, minutes, first) = con.execute(
            "select count(*), sum(minutes), min(period_start) from main.report_listening_by_period where grain = ?",
            [grain],
        ).fetchone()
        assert {d["grain"] for d in points} == {grain}
        assert len(points) == count > 1
        assert sum(d["minutes"] for d in points) == pytest.approx(minutes)
        # Vega reads the mart's dates as UTC midnight, in ms since the epoch
        assert min(d["period_start"] for d in points) == datetime.combine(first, time(), UTC).timestamp() * 1000
        drawn[grain] = len(points)
    assert drawn["week"] > drawn["month"]  # the selector changed what is shown
    (plays,) = con.execute("select count(*) from main.fact_track_played where counts_as_play").fetchone()
    clock = page.data("clock", "rect")
    assert len(clock) == 168 and sum(d["plays"] for d in clock) == plays
    first_last = page.data("artist_first_last", "symbol")
    top = rows(con, "select artist_name, first_played_at_local from main.report_artist_first_last "
               "where plays_rank <= 20 order by plays_rank")  # fmt: skip
    assert {d["artist_name"] for d in first_last} == {r["artist_name"] for r in top}


def test_the_map_draws_every_country_and_colours_the_marts(listener, sample_page: Opened):
    con = listener["con"]
    shapes = sample_page.data("origin_map", "shape")
    coloured = {d["id"]: d["plays"] for d in shapes if "plays" in d and d["plays"] is not None}
    known = dict(con.execute("select country_code, plays from main.report_origin_countries where is_known").fetchall())
    ids = {d.get("id") for d in shapes}
    assert len([d for d in shapes if "plays" not in d]) >= 200  # the land beneath: every country of the shapes
    assert coloured == {code: n for code, n in known.items() if code in ids}
    assert len(coloured) >= 10
    cities = sample_page.data("origin_map", "symbol")
    (located,) = con.execute("select count(*) from main.report_origin_cities").fetchone()
    assert len(cities) == located > 0
    unknown = sample_page.page.get_attribute("p.plain[data-unknown-plays]", "data-unknown-plays")
    (expected,) = con.execute(
        "select coalesce(sum(plays), 0) from main.report_origin_countries where not is_known"
    ).fetchone()
    assert int(unknown) == expected


def test_the_year_in_review_selector_shows_one_year(listener, sample_page: Opened):
    con = listener["con"]
    page = sample_page.page
    years = rows(con, "select * from main.report_year_in_review order by year desc")
    assert len(years) > 1
    for year in years:
        page.select_option("#year-select", str(year["year"]))
        visible = page.eval_on_selector_all(
            "article.year", "els => els.filter(e => !e.hidden).map(e => e.dataset.year)"
        )
        assert visible == [str(year["year"])]
        card = page.locator(f'article.year[data-year="{year["year"]}"]')
        assert card.locator('[data-field="minutes"]').inner_text() == f"{year['minutes']:,.0f}"
        assert card.locator('[data-field="new_artists"]').inner_text() == f"{year['new_artists']:,}"
        tops = card.locator(".card", has_text="Top artists").locator("li").all_inner_texts()
        assert tops == list(year["top_artists"])


def test_the_skip_selector_and_rates_tie_out(listener, sample_page: Opened):
    con = listener["con"]
    page = sample_page
    for kind in ("track", "artist"):
        page.choose("most_skipped", "Most skipped", kind)
        drawn = sorted((d["skips_rank"], d["value"], d["skips"]) for d in page.data("most_skipped", "rect"))
        expected = [
            (r["skips_rank"], r["value"], r["skips"])
            for r in rows(
                con,
                f"select * from main.report_skips where dimension = '{kind}' and skips_rank <= 15 order by skips_rank",
            )
        ]
        assert drawn == expected and drawn
    (listens, skips) = con.execute("select count(*), count(*) filter (where coalesce(skipped, false) or not "
                                   "counts_as_play) from main.fact_track_played").fetchone()  # fmt: skip
    hours = page.data("skip_rate_by_hour", "rect")
    assert len(hours) == 24
    assert sum(d["listens"] for d in hours) == listens and sum(d["skips"] for d in hours) == skips > 0


# ---------------------------------------------------------------------------------------------- self-contained


class Tags(HTMLParser):
    """Every element of the page with its attributes (a script's text is text, not elements)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_the_report_is_one_self_contained_file(sample_report: Path):
    parser = Tags()
    parser.feed(sample_report.read_text(encoding="utf-8"))
    names = [tag for tag, _ in parser.tags]
    assert names.count("script") == 3  # the specs (JSON), Vega with vega-embed, the page's own few lines
    assert not [(tag, attrs) for tag, attrs in parser.tags if {"src", "href"} & set(attrs) and tag != "a"]
    assert all(str(attrs["href"]).startswith("#") for tag, attrs in parser.tags if tag == "a")  # the contents
    assert "link" not in names and "img" not in names and "iframe" not in names
    assert sample_report.stat().st_size < 5_000_000


# ---------------------------------------------------------------------------------------------- tiny warehouses


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
        env.setenv("LISTENER_TIMEZONE", "UTC")
        assert_ok(run_dbt(data_dir))
    return data_dir / "music_tracker.duckdb"


def test_one_play_with_a_name_to_escape(browser, one_play: Path, tmp_path: Path):
    con = duckdb.connect(str(one_play), read_only=True)
    try:
        (stored,) = con.execute("select artist_name from main.dim_artist").fetchone()
    finally:
        con.close()
    assert stored == '<script>alert("x")</script> O\'Brien'  # the first of its two credited artists ("… & Co")
    out = write_report(one_play, tmp_path / "r.html")
    text = out.read_text(encoding="utf-8")
    assert "alert(" in text and "<script>alert" not in text and "<b>" not in text  # escaped everywhere
    with opened(browser, out) as page:
        assert page.console_errors == [] and page.dialogs == []  # the name is shown, never run
        assert page.page.locator('article.year[data-year="2025"] li').first.inner_text() == stored
        assert [d["item_name"] for d in page.data("top_items", "rect")] == [stored]
        assert [d["plays"] for d in page.data("clock", "rect") if d["plays"]] == [1]
        # one play: no skip, no country, no city, no travel, nothing abroad; each chart says so in words
        empty = set(page.page.eval_on_selector_all("p.empty[data-chart]", "els => els.map(e => e.dataset.chart)"))
        assert {"most_skipped", "origin_map", "travel", "played_abroad"} <= empty
        for chart in set(CHARTS) - empty:
            assert len(page.marks(chart)) > 0, chart


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
    con.execute("create table report_overview (period varchar)")
    con.close()
    result = make_report(tmp_path, tmp_path / "no_demo_here")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"report: {tmp_path / 'data' / 'music_tracker.duckdb'} lacks main.")
    assert "main.report_top_items" in line and "main.report_overview" not in line
    assert line.endswith(": build the warehouse again (make dbt, or dbt build)")
    assert list(tmp_path.rglob("*.html")) == []


@pytest.mark.slow
def test_make_report_of_an_empty_history_says_it_is_empty_and_how_to_fill_it(
    browser, empty_build: Path, tmp_path: Path
):
    # `make enrich` on a fresh checkout: every extractor finds nothing to do, dbt builds an empty warehouse
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
    assert "<code>uv run python -m extractors import PATH…</code><br><code>make enrich</code>" in text
    with opened(browser, out) as page:
        assert page.console_errors == []
        assert page.page.locator("div.chart").count() == 0  # every chart an explicit empty state
        empty = page.page.eval_on_selector_all("p.empty[data-chart]", "els => els.map(e => e.dataset.chart)")
        assert set(CHARTS) <= set(empty)
