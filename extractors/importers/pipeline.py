"""One import: collect and detect the files, read each format with one DuckDB scan, check every row, then
append the listens with ``append_plays`` (one new parquet file, atomically, duplicates left out).

A file inside a folder or zip that is not a history is left out and listed; a file named on its own that is
not a history, a folder or zip without any history, or a file that cannot be read stops the import with
nothing written. A malformed row is skipped, counted and named; with ``strict`` it stops the import instead.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from extractors import queries
from extractors.catalog import TRACKS_PLAYED_COLUMNS, Catalog
from extractors.config import Settings
from extractors.errors import InputError
from extractors.history import MIN_PLAY_MS, append_plays
from extractors.importers.detect import Detected, Ignored, Unrecognised, detect
from extractors.importers.formats import FORMATS, SKIP_FUTURE, SKIP_MALFORMED, SKIP_TOO_EARLY, Format
from extractors.importers.inputs import InputFile, Inputs
from extractors.importers.locate import locate_invalid_utf8, locate_json_error
from extractors.importers.report import FileReport, ImportReport, Malformed
from extractors.landing import new_run_id, remove_stale_temp_files
from extractors.run import data_lock

log = logging.getLogger(__name__)

KNOWN = (
    "Spotify Extended Streaming History or Account data JSON, ListenBrainz JSON/JSONL, Last.fm or Libre.fm CSV, "
    "or a folder or zip of them"
)
# DuckDB spills to the work folder past this, so a huge export cannot take the machine's memory
MEMORY_LIMIT = "1GB"
STAGED_EXTRA = {"file_no": "integer", "row_no": "bigint", "skip_reason": "varchar", "problem": "varchar"}
EARLIEST_PLAY = datetime(2000, 1, 1)  # earlier plays are skipped (SKIP_TOO_EARLY)
FUTURE_SLACK = timedelta(days=1)  # plays later than this after now are skipped (SKIP_FUTURE)
NAMED_ROWS = 4  # malformed rows named per file in the report


def import_paths(
    settings: Settings,
    paths: Iterable[str | Path],
    *,
    user_id: str | None = None,
    dry_run: bool = False,
    strict: bool = False,
) -> ImportReport:
    """Import ``paths`` for the person ``user_id`` (default: ``settings.user_id``); see the module docstring."""
    report = ImportReport(dry_run=dry_run)
    with tempfile.TemporaryDirectory(prefix="rws-import-") as tmp, data_lock(settings.data_dir):
        work = Path(tmp)
        if not dry_run:  # a dry run deletes nothing either
            report.swept = remove_stale_temp_files(settings.tracks_played_dir)
        inputs = Inputs(work / "in")
        inputs.work.mkdir()
        for path in paths:
            inputs.add(Path(path))
        groups = _detect_all(inputs, report)
        catalog = Catalog(settings, owns_data=True)
        try:
            con = catalog.con
            con.execute(f"set memory_limit = '{MEMORY_LIMIT}'")
            con.execute(f"set temp_directory = {queries.macro('literal', work / 'spill')}")
            con.execute("set preserve_insertion_order = true")  # row numbers are positions in the file
            _stage(con, groups, user_id or settings.user_id)
            if strict:
                _check_rows(con, groups)
            malformed = _skip_malformed(con, groups)
            _skip_implausible_times(con)
            _count(con, groups, report, malformed)
            columns = ", ".join(TRACKS_PLAYED_COLUMNS)
            result = append_plays(
                catalog,
                f"select {columns} from import_staged where skip_reason is null",
                f"import-{new_run_id()}",
                write=not dry_run,
            )
        finally:
            catalog.close()
        report.imported, report.duplicates = result.imported, result.duplicates
        report.path = None if dry_run else result.path
    return report


Group = tuple[Format, Detected, list[tuple[int, InputFile]]]


def _detect_all(inputs: Inputs, report: ImportReport) -> list[Group]:
    groups: dict[tuple[object, ...], Group] = {}
    found_in: set[str] = set()  # the folders and zips given that hold a history
    for number, item in enumerate(inputs):
        found = detect(item.path)
        if isinstance(found, Ignored | Unrecognised):
            if not item.contained:
                raise InputError(
                    f"{item.name}: not a listening history this command reads ({found.why}); expected {KNOWN}. "
                    "Leave the file out and run again; nothing was written"
                )
            report.left_out.append((item.name, found.why))
            continue
        found_in |= {item.top, *inputs.also.get(number, ())}
        fmt = FORMATS[found.format]
        groups.setdefault(found.group, (fmt, found, []))[2].append((number, item))
    for top, kind in inputs.tops.items():
        if top not in found_in:
            mine = [item.name for item in inputs if item.top == top]
            listed = ", ".join(Path(name.rsplit(":", 1)[-1]).name for name in mine[:5])
            more = f" and {len(mine) - 5} more" if len(mine) > 5 else ""
            detail = f"none of its {len(mine)} files is one: {listed}{more}"
            if len(mine) < 2:
                detail = f"its only file, {listed}, is not one" if mine else "it holds no files"
            raise InputError(
                f"{top}: no listening history in this {kind} ({detail}); expected {KNOWN}. Check the path "
                "(Spotify's exports hold Streaming_History_Audio_*.json or StreamingHistory_music_*.json); "
                "nothing was written"
            )
    return list(groups.values())


def _stage(con: duckdb.DuckDBPyConnection, groups: list[Group], user_id: str) -> None:
    """Read every group into ``import_staged`` (file_no, row_no, skip_reason, problem, contract columns)."""
    con.execute(_sql("create_staged", columns={**STAGED_EXTRA, **TRACKS_PLAYED_COLUMNS}))
    con.execute("create or replace temp table import_files (file_no integer, alias varchar, video boolean)")
    for _, _, files in groups:
        for number, item in files:
            video = item.basename.lower().startswith("streaming_history_video")
            con.execute("insert into import_files values (?, ?, ?)", [number, str(item.path), video])
    for fmt, detected, files in groups:
        reader = fmt.reader_sql(detected)
        aliases = [str(item.path) for _, item in files]
        try:
            con.execute(f"create or replace temp table import_raw as\n{reader}", {"files": aliases})
        except duckdb.Error as exc:
            log.debug("reading %s files failed: %s", fmt.name, exc)
            raise _file_error(con, fmt, detected, reader, files) from None
        con.execute(_sql("import_rows"))
        con.execute(f"insert into import_staged by name\n{fmt.stage_sql(detected, user_id)}")
        con.execute("drop view import_rows")
        con.execute("drop table import_raw")


def _file_error(
    con: duckdb.DuckDBPyConnection, fmt: Format, detected: Detected, reader: str, files: list[tuple[int, InputFile]]
) -> InputError:
    """The first file of the group that cannot be read, and where and why, in one line."""
    for _, item in files:
        encoding = locate_invalid_utf8(item.path, detected.layout, detected.header, detected.skip)
        if encoding:
            return InputError(
                f"{item.name}: {encoding}; {fmt.label} files must be UTF-8: export it again, or convert it "
                "(e.g. iconv -f cp1252 -t utf-8 OLD > NEW) and import the converted file; nothing was written"
            )
        try:
            con.execute(f"select count(*) from (\n{reader}\n)", {"files": [str(item.path)]}).fetchone()
        except duckdb.Error as exc:
            where = locate_json_error(item.path, detected.layout) if detected.layout != "csv" else None
            return InputError(
                f"{item.name}: {where or _describe(exc)}; this {fmt.label} file looks damaged or truncated: "
                "export or download it again, or leave it out; nothing was written"
            )
    return InputError(f"{files[0][1].name}: cannot be read with the other {fmt.label} files; import it on its own")


def _describe(exc: duckdb.Error) -> str:
    """DuckDB's message without its file path and advice; CSV line numbers are the file's."""
    lines = str(exc).strip().splitlines()
    first = re.sub(r'\s*in file "[^"]*",?', "", lines[0].split("Error: ", 1)[-1]).strip().rstrip(".")
    detail = next((line.strip() for line in lines[1:] if line.startswith("Expected Number of Columns")), "")
    found = re.search(r"CSV Error on Line: (\d+)", first)
    if found:
        return f"line {found.group(1)}: not a well-formed CSV row" + (f" ({detail})" if detail else "")
    return first


def _where(detected: Detected, row_no: int) -> str:
    """``row N``, with the file's line when it differs (a CSV's header and comment lines)."""
    line = detected.line(row_no) if detected.layout == "csv" else row_no
    return f"row {row_no}" + (f" (line {line})" if line != row_no else "")


def _check_rows(con: duckdb.DuckDBPyConnection, groups: list[Group]) -> None:
    """--strict: the first malformed row stops the import, named with its file and row."""
    row = con.execute(_sql("first_problem")).fetchone()
    if not row:
        return
    file_no, row_no, problem, total = row
    names = {number: item for _, _, files in groups for number, item in files}
    detected = {number: d for _, d, files in groups for number, _ in files}
    more = f" ({total} malformed rows in all)" if total > 1 else ""
    raise InputError(
        f"{names[file_no].name}: {_where(detected[file_no], row_no)}: {problem}{more}; fix or remove the row "
        "and run again (without --strict, malformed rows are skipped and named); nothing was written"
    )


def _skip_malformed(con: duckdb.DuckDBPyConnection, groups: list[Group]) -> dict[int, Malformed]:
    """Rows with a problem become skips (SKIP_MALFORMED); per file: how many, the first rows, the first problem."""
    con.execute("update import_staged set skip_reason = $r where problem is not null", {"r": SKIP_MALFORMED})
    detected = {number: d for _, d, files in groups for number, _ in files}
    found = con.execute(_sql("malformed_rows", named_rows=NAMED_ROWS)).fetchall()
    return {
        file_no: Malformed(count, [_where(detected[file_no], r) for r in rows], problem)
        for file_no, count, rows, problem in found
    }


def _skip_implausible_times(con: duckdb.DuckDBPyConnection) -> None:
    """Plays dated before 2000 (1970: a broken scrobble) or over a day in the future become counted skips."""
    latest = datetime.now(UTC).replace(tzinfo=None) + FUTURE_SLACK
    con.execute(
        _sql("skip_implausible_times", earliest=EARLIEST_PLAY, latest=latest, early=SKIP_TOO_EARLY, future=SKIP_FUTURE)
    )


def _count(
    con: duckdb.DuckDBPyConnection, groups: list[Group], report: ImportReport, malformed: dict[int, Malformed]
) -> None:
    counts: dict[int, Counter[str | None]] = {}
    short: Counter[int] = Counter()
    for file_no, reason, n, under in con.execute(_sql("file_counts", min_play_ms=MIN_PLAY_MS)).fetchall():
        counts.setdefault(file_no, Counter())[reason] = n
        if reason is None:
            short[file_no] = under
    for fmt, _, files in groups:
        for number, item in files:
            tally = counts.get(number, Counter())
            skipped: Counter[str] = Counter({k: v for k, v in tally.items() if k is not None})
            report.files.append(
                FileReport(item.name, fmt.label, sum(tally.values()), skipped, short[number], malformed.get(number))
            )


def _sql(name: str, **values: object) -> str:
    """One of the import's queries: extractors/importers/sql/<name>.sql."""
    return queries.of(__file__, name, **values)
