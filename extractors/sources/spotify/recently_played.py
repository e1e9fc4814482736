"""Live listening: Spotify's ``GET /me/player/recently-played``, polled (e.g. every ten minutes by cron).

Spotify shows only the newest 50 listens of an account: ``after``/``before`` page within those 50 and never
further back. So a poll is one request, ``limit=50`` with ``after=<cursor>`` (the newest listen of the last
poll, epoch ms). When that answer is a full 50, all after the cursor, the newest 50 do not reach back to the
cursor: the listens between the cursor and the oldest one returned may be missing (50 or more since the last
poll, e.g. cron stopped for a day; exactly 50 looks the same, hence "may"). The poll says so (a warning and
one line on stdout) and records the gap in ``DATA_DIR/state/recently_played_polls.json``, which ``status``
shows; a Spotify Extended Streaming History export (``python -m extractors import``) fills it. A first poll
(no cursor) takes the newest 50 and reports no gap: what came before polling began is the export's to give.

The answers land raw (every artist of a track kept), the plays are derived from the landed JSON in DuckDB and
appended to ``tracks_played`` (deduplicated by the play key), the poll and its gap are recorded, and only then
is the cursor advanced. A crash in between re-fetches on the next poll, and the play key keeps those plays
from counting twice.
"""

from __future__ import annotations

import json
import logging
import os
import signal
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from extractors import queries
from extractors.catalog import Catalog
from extractors.commands import data_path_option, reported_errors, settings_for
from extractors.config import Settings
from extractors.errors import BadResponseError, ConfigError, ForbiddenError, ReauthorizeError
from extractors.history import append_plays
from extractors.landing import Lander, Record, new_run_id, remove_stale_temp_files, write_json
from extractors.run import RunOptions, SourceResult, data_lock
from extractors.sources.spotify.extract import AUTH_COMMAND, SpotifyExtractor, has_refresh_token

log = logging.getLogger(__name__)

LIMIT = 50  # the most Spotify answers, and all it keeps: the newest 50 listens
EXPORT_HINT = "a Spotify Extended Streaming History export (python -m extractors import) fills the gap"


def crash_point(name: str) -> None:
    """Fault injection for the crash tests: ``RWS_CRASH_AT=<name>`` kills the process right here."""
    if os.environ.get("RWS_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


# -- state: the cursor and the record of polls -------------------------------------------------------------
def cursor_path(settings: Settings) -> Path:
    return settings.data_dir / "state" / "recently_played.json"


def polls_path(settings: Settings) -> Path:
    return settings.data_dir / "state" / "recently_played_polls.json"


def read_cursor(settings: Settings) -> int | None:
    path = cursor_path(settings)
    if not path.exists():
        return None
    try:
        return int(json.loads(path.read_text())["after"])
    except (ValueError, KeyError, TypeError):
        raise ConfigError(f"{path}: not a valid cursor file; delete it to start from the latest 50 plays") from None


def write_cursor(settings: Settings, after_ms: int) -> None:
    write_json(cursor_path(settings), {"after": str(after_ms)})


@dataclass(frozen=True)
class Gap:
    """Listens after ``after_ms`` and before ``before_ms`` (both exclusive) may be missing."""

    after_ms: int  # the cursor: the newest listen the history had from polling
    before_ms: int  # the oldest listen of the answer

    def line(self) -> str:
        return (
            f"recently-played: listens between {readable(self.after_ms)} and {readable(self.before_ms)} may be "
            f"missing: Spotify shows only the newest {LIMIT} and at least {LIMIT} were played since the last "
            f"poll; {EXPORT_HINT}"
        )


def read_polls(settings: Settings) -> dict[str, Any]:
    """``{"last_poll": iso, "gaps": [{"from": iso, "to": iso, "seen_at": iso}, ...]}`` ({} before any poll)."""
    path = polls_path(settings)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        log.warning("recently-played: %s is not readable JSON; starting a new record of polls", path)
        return {}
    return data if isinstance(data, dict) else {}


def record_poll(settings: Settings, gap: Gap | None, now: datetime) -> None:
    """Note the poll's time and its gap (one entry per cursor: a later poll from the same cursor widens it)."""
    polls = read_polls(settings)
    gaps = [g for g in polls.get("gaps") or [] if isinstance(g, dict)]
    if gap is not None:
        start = _iso(gap.after_ms)
        gaps = [g for g in gaps if g.get("from") != start]
        gaps.append({"from": start, "to": _iso(gap.before_ms), "seen_at": now.isoformat(timespec="seconds")})
    write_json(polls_path(settings), {"last_poll": now.isoformat(timespec="seconds"), "gaps": gaps})


def status_line(settings: Settings) -> str:
    """One line for ``status``: the last poll and the last gap (or none)."""
    polls = read_polls(settings)
    if not polls.get("last_poll"):
        return "recently-played: never polled"
    last = _readable_iso(polls["last_poll"])
    gaps = [g for g in polls.get("gaps") or [] if isinstance(g, dict) and g.get("from") and g.get("to")]
    if not gaps:
        return f"recently-played: last poll {last}; no gap"
    g = gaps[-1]
    more = f" ({len(gaps)} gaps in all, listed in {polls_path(settings)})" if len(gaps) > 1 else ""
    return (
        f"recently-played: last poll {last}; last gap: listens between {_readable_iso(g['from'])} and "
        f"{_readable_iso(g['to'])} may be missing (import an Extended export){more}"
    )


# -- the poll ---------------------------------------------------------------------------------------------
def check_config(settings: Settings) -> str | None:
    """None when polling can get a user token; else the one line saying what is missing.

    A user token needs SPOTIFY_CLIENT_ID and a refresh token: the one ``auth spotify`` kept in
    ``DATA_DIR/state/spotify_token.json``, or SPOTIFY_REFRESH_TOKEN (no client secret needed: PKCE).
    """
    refresh = has_refresh_token(settings)
    if settings.spotify_client_id and refresh:
        return None
    if settings.spotify_client_id:
        return (
            f"recently-played: no refresh token for your account: run `{AUTH_COMMAND}` to authorise this app "
            "(or set SPOTIFY_REFRESH_TOKEN, from the authorization-code flow with the user-read-recently-played "
            "scope, in .env)"
        )
    then = "" if refresh else f", then run `{AUTH_COMMAND}` to authorise this app for your account"
    return (
        "recently-played: set SPOTIFY_CLIENT_ID in the environment or .env (Spotify developer dashboard → your "
        f"app → settings){then}"
    )


def poll(settings: Settings, catalog: Catalog, run_id: str, user_id: str | None) -> SourceResult:
    problem = check_config(settings)
    if problem:
        raise ConfigError(problem)
    spotify = SpotifyExtractor(settings, catalog, RunOptions(), run_id)
    result = SourceResult("recently-played")
    try:
        after = read_cursor(settings)
        items, answered = fetch(spotify, after)
        result.requests = spotify.api.requests_made
        gap = find_gap(after, items, answered)
        if not items:
            log.info("recently-played: no new plays since the last poll")
            record_poll(settings, None, datetime.now(UTC))
            return result
        records = [Record(f"{i['played_at']}|{(i.get('track') or {}).get('id')}", 200, i) for i in items]
        landed = Lander(settings.raw_dir, "spotify", "recently_played", run_id).write(records)
        assert landed is not None
        crash_point("after-landing")
        appended = append_plays(
            catalog,
            queries.of(__file__, "recently_played_plays"),
            f"recently-played-{run_id}",
            params=[user_id or settings.user_id, str(after) if after is not None else None, str(landed)],
        )
        crash_point("after-plays")
        record_poll(settings, gap, datetime.now(UTC))  # before the cursor moves: a crash re-finds the gap
        write_cursor(settings, max(_ms(i) for i in items))
        tally = result.endpoint("recently_played")
        tally.found = appended.imported
        note = f"{len(items)} plays fetched, {appended.imported} new, {appended.duplicates} known"
        if appended.rows < len(items):
            note += f", {len(items) - appended.rows} without a track skipped"
        result.notes.append(note)
        if gap is not None:
            log.warning("%s", gap.line())
            click.echo(gap.line())
            result.notes.append("possible gap before these (see above)")
        elif after is None and answered >= LIMIT:
            result.notes.append(
                f"first poll: the newest {LIMIT} listens, all Spotify shows; older ones come from an export "
                "(python -m extractors import)"
            )
        return result
    finally:
        spotify.close()


def fetch(spotify: SpotifyExtractor, after: int | None) -> tuple[list[dict], int]:
    """The listens after the cursor (the newest 50 on a first poll), and how many the answer held.

    One request: Spotify keeps only the newest 50, so there is nothing further back to page to.
    """
    params = {"limit": str(LIMIT)}
    if after is not None:
        params["after"] = str(after)
    try:
        body = spotify.get("/me/player/recently-played", params).body
    except ForbiddenError:
        raise ReauthorizeError(
            "recently-played: Spotify refused /me/player/recently-played (403): the refresh token needs the "
            f"user-read-recently-played scope; run `{AUTH_COMMAND}` (it asks for that scope)"
        ) from None
    page = body.get("items") if isinstance(body, dict) else None
    if not isinstance(page, list) or not all(isinstance(i, dict) for i in page):
        raise BadResponseError("spotify: recently-played answered without a list of 'items'; nothing landed")
    fresh = [i for i in page if after is None or _ms(i) > after]
    return fresh, len(page)


def find_gap(after: int | None, items: list[dict], answered: int) -> Gap | None:
    """A gap when the answer is a full page whose oldest listen is still after the cursor."""
    if after is None or answered < LIMIT or len(items) < answered:
        return None
    oldest = min(_ms(i) for i in items)
    return Gap(after, oldest) if oldest > after else None


# -- time: the cursor arithmetic -----------------------------------------------------------------------------
def _ms(item: dict) -> int:
    """``played_at`` (``2026-11-29T21:03:11.123Z``) in epoch ms."""
    try:
        when = datetime.fromisoformat(str(item["played_at"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        shown = str(item.get("played_at"))[:40]
        raise BadResponseError(
            f"spotify: recently-played answered an item without a valid played_at ({shown!r}); nothing landed"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return round(when.timestamp() * 1000)


def _datetime(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def _iso(ms: int) -> str:
    return _datetime(ms).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def readable(ms: int) -> str:
    """``2026-11-29 21:03:11 UTC``."""
    return _datetime(ms).strftime("%Y-%m-%d %H:%M:%S UTC")


def _readable_iso(text: str) -> str:
    try:
        when = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return str(text)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@click.command("recently-played")
@data_path_option
@click.option("--user-id", default=None, help="The person the plays belong to (default: USER_ID, else 'me').")
def command(data_path: str | None, user_id: str | None) -> None:
    """Poll your latest Spotify plays into tracks_played (run it every ten minutes, e.g. from cron).

    Asks GET /me/player/recently-played for the plays after the saved cursor (DATA_DIR/state/), lands the
    raw answers, appends the new plays (a play already in tracks_played is never counted twice) and only
    then advances the cursor. Needs SPOTIFY_CLIENT_ID and a refresh token with the user-read-recently-played
    scope: run `auth spotify` once (it keeps one), or set SPOTIFY_REFRESH_TOKEN.
    """
    settings = settings_for(data_path)
    with reported_errors("nothing is lost; the next poll starts from the saved cursor"):
        with data_lock(settings.data_dir):
            remove_stale_temp_files(*settings.work_dirs)
            catalog = Catalog(settings, owns_data=True)
            try:
                result = poll(settings, catalog, new_run_id(), user_id or settings.user_id)
            finally:
                catalog.close()
        click.echo(result.summary())
