"""``python -m extractors``: fetch what the listening history references and is not landed yet."""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from extractors import __version__
from extractors.catalog import Catalog
from extractors.commands import (
    data_path_option,
    extraction_options,
    fail,
    reported_errors,
    settings_for,
)
from extractors.config import Settings
from extractors.errors import ConfigError, ExtractorError
from extractors.importers import import_paths
from extractors.landing import new_run_id, remove_stale_temp_files
from extractors.registry import Source, sources
from extractors.run import RunOptions, data_lock

log = logging.getLogger("extractors")

EPILOG = """\b
Configuration comes from the environment or .env (see .env.example): credentials, DATA_DIR, API base URLs,
LOG_LEVEL, RETRY_AFTER_MAX, NOT_FOUND_RETRY_DAYS, <SOURCE>_MIN_INTERVAL.
Exit status: 0 all done; 1 a source failed; 2 bad usage, configuration or input."""


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110}, epilog=EPILOG)
@click.version_option(__version__, prog_name="rws-music extractors")
def main() -> None:
    """Enrich your listening history: ask DuckDB which keys are missing, call each API only for those,
    and land every answer's raw JSON as parquet under DATA_DIR/raw/ (append-only, atomic).

    Run them in order (spotify, then the others) or all at once with `all`; then `dbt build`.
    """


def run_sources(names: list[str], named: bool, data_path: str | None, **flags: Any) -> None:
    settings = settings_for(data_path)
    options = RunOptions(
        limit=flags.get("limit"),
        skip_on_error=bool(flags.get("skip_on_error")),
        retry_not_found=bool(flags.get("retry_not_found")),
    )
    failed = False
    skipped: list[str] = []
    with reported_errors("everything landed before stays; run again to resume"), data_lock(settings.data_dir):
        removed = remove_stale_temp_files(*settings.work_dirs)
        if removed:
            log.info("removed %d half-written file(s) left by an interrupted run", removed)
        catalog = Catalog(settings, owns_data=True)
        run_id = new_run_id()
        try:
            for name in names:
                source = sources()[name]
                problem = source.check_config(settings)
                if problem:
                    if named:
                        raise ConfigError(problem)
                    click.echo(f"skipped {problem}", err=True)
                    skipped.append(name)
                    continue
                try:
                    result = source.extract(settings, catalog, options, run_id)
                except ExtractorError as exc:
                    if named or exc.exit_code == 2 or not options.skip_on_error:
                        raise
                    click.echo(f"error: {exc}", err=True)
                    failed = True
                    continue
                click.echo(result.summary())
                failed = failed or not result.ok
        finally:
            catalog.close()
    needing = [name for name in names if sources()[name].needs_config]
    if needing and set(needing) <= set(skipped):
        fail(
            ConfigError(
                "every source was skipped for its configuration, so nothing was fetched: set the variables "
                "named above in .env or the environment (.env.example lists them)"
            )
        )
    if failed:
        sys.exit(1)


def source_command(source: Source, name: str, hidden: bool = False) -> click.Command:
    """The extraction command of one source, made from its registry entry."""

    @extraction_options
    def command(data_path: str | None, **flags: Any) -> None:
        run_sources([source.name], True, data_path, **flags)

    command.__doc__ = source.help
    return click.command(name, hidden=hidden)(command)


for _source in sources().values():
    main.add_command(source_command(_source, _source.name))
    for _alias in _source.aliases:
        main.add_command(source_command(_source, _alias, hidden=True))
    for _command in _source.commands:
        main.add_command(_command)


@main.command("all")
@extraction_options
def all_sources(data_path: str | None, **flags: Any) -> None:
    """Every source in order; a source without credentials is skipped with a line saying what to set."""
    run_sources(list(sources()), False, data_path, **flags)


@main.command()
@data_path_option
def status(data_path: str | None) -> None:
    """Rows per table, and per source: keys landed, not found, still missing, and the last fetch."""
    settings = settings_for(data_path)
    try:
        if not settings.data_dir.is_dir():
            raise ConfigError(
                f"{settings.data_dir}: no such data folder; give the folder that holds src/ and raw/ "
                "(--data-path or DATA_DIR), or import a history first: uv run python -m extractors import PATH"
            )
        show_status(settings)
    except ExtractorError as exc:
        fail(exc)


def show_status(settings: Settings) -> None:
    from extractors.listen_summary import history_lines, warehouse_lines

    catalog = Catalog(settings)
    try:
        files = catalog.history_files()
        rows = catalog.history_rows()
        click.echo(f"data folder: {settings.data_dir}")
        click.echo(f"tracks_played: {rows} rows in {len(files)} file(s) under {settings.tracks_played_dir}")
        for line in history_lines(catalog) + warehouse_lines(settings):
            click.echo(line)
        for source in sources().values():
            for line in source.status_lines(settings):
                click.echo(line)
        for source in sources().values():
            problem = source.check_config(settings)
            # the skip line without its "<source>: " prefix: what to set
            click.echo(f"{source.name}:" + (f" not configured: {problem.split(': ', 1)[-1]}" if problem else ""))
            click.echo(f"  {'endpoint':<15} {'found':>8} {'not found':>10} {'missing':>8} {'files':>6}  last fetched")
            for endpoint in source.endpoints:
                landed = catalog.summary(source.name, endpoint)
                missing = len(source.missing(catalog, endpoint, False)) if files else 0
                click.echo(
                    f"  {endpoint:<15} {landed.found:>8} {landed.not_found:>10} {missing:>8} {landed.files:>6}  "
                    f"{landed.last_fetched or '-'}"
                )
            for line in source.catalog_lines(catalog) if files else []:
                click.echo(f"  {line}")
    finally:
        catalog.close()


@main.command(
    "import",
    epilog="Exit status: 0 imported (or nothing new; malformed rows skipped and named, files that are not a "
    "history left out of folders and zips); 2 a file named on its own that is not a history, a folder or zip "
    "without any history, a file that cannot be read, or (with --strict) a malformed row: nothing written.",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@data_path_option
@click.option(
    "--user-id",
    default=None,
    help="The person the plays belong to, the same for every source (default: USER_ID, else 'me'); an "
    "export's own account name goes to source_user.",
)
@click.option("--dry-run", is_flag=True, help="Read, check and count everything, and write nothing.")
@click.option(
    "--strict",
    is_flag=True,
    help="Stop at the first malformed row (exit 2, nothing written) instead of skipping and naming it.",
)
def import_command(
    paths: tuple[str, ...], data_path: str | None, user_id: str | None, dry_run: bool, strict: bool
) -> None:
    """Import listening-history exports into tracks_played: files, folders (walked) or zips.

    \b
    Formats, recognised by content (not by file name):
      Spotify Extended Streaming History  Streaming_History_Audio_*.json, older endsong_*.json, or the
                                          whole zip; music rows only (podcast, audiobook, video rows and
                                          rows without track metadata are counted and skipped, and so are
                                          incognito_mode rows); played_at is `ts` (end of the listen, UTC),
                                          started_at is `offline_timestamp` (else ts - ms_played); ms_played,
                                          reasons, skipped, shuffle, offline, platform, conn_country kept;
                                          `username` goes to source_user
      Spotify Account data                StreamingHistory_music_*.json (endTime in UTC minutes, msPlayed,
                                          no ids); StreamingHistory_podcast_*.json is counted and skipped
      ListenBrainz                        the export's JSON array or JSONL, or its zip (listens/YYYY/M.jsonl);
                                          Spotify id, ISRC and artist MBID when the listen has them
      Last.fm scrobbles (CSV)             with a header (uts/utc_time/timestamp/date, artist, artist_mbid,
                                          album, track/title) or headerless artist,album,track,date rows
                                          (31 Jan 2021 12:34, UTC)
      Libre.fm / Maloja scrobbles (CSV)   Artist,Track,Album,Time (Unix seconds or ISO-8601), comment lines
                                          above the header allowed
    A folder or zip is imported as Spotify ships it: files in it that are not a history (Userdata.json,
    Follow.json, Playlist1.json, the ReadMeFirst PDF, ListenBrainz's user.json, ...) are listed as left out;
    a folder or zip with no history at all is an error. Plays dated before 2000 (Last.fm's broken "01 Jan
    1970" scrobbles) or more than a day in the future are counted and skipped. Files must be UTF-8.
    Listens under 30 s are kept and counted apart: the warehouse does not count them as plays.

    A listen already in tracks_played (same person, source, second, track, artist and ms_played) is not added
    again, so importing the same export twice adds each listen once. All new listens are written as one parquet
    file, atomically. A malformed row (a bad time, no track or artist name) is skipped and named in the report
    (file, row, problem); with --strict it stops the import, naming the file and the row, and nothing is
    written. A file named on its own that is not a history stops the import too. See docs/importing.md.
    """
    settings = settings_for(data_path)
    try:
        report = import_paths(settings, paths, user_id=user_id or settings.user_id, dry_run=dry_run, strict=strict)
    except ExtractorError as exc:
        fail(exc)
        return
    except KeyboardInterrupt:
        click.echo("interrupted: nothing was written", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: one line, the traceback only when asked for
        log.debug("unexpected error", exc_info=True)
        click.echo(
            f"error: unexpected {type(exc).__name__}: {exc}; nothing was written (LOG_LEVEL=DEBUG shows the traceback)",
            err=True,
        )
        sys.exit(1)
    for line in report.lines():
        click.echo(line)
