"""Each export format: how DuckDB reads its files, and which SQL turns a row into a listen, a skip or a problem.

Every format's ``stage`` select (``extractors/importers/sql/stage_<stage>.sql``) reads the view ``import_rows``
(raw rows with ``file_no``, ``row_no``, ``video``) and yields ``file_no, row_no, skip_reason, problem`` plus the
contract's columns it knows. ``skip_reason`` is null for a listen to keep; ``problem`` is a malformed row's
description (the row is skipped as ``malformed`` and named in the report, or, with ``--strict``, stops the
import). Raw columns are read as text and cast there with ``try_cast``, so a bad value is a row problem, not a
crash. ``video`` marks the rows of a ``Streaming_History_Video_*`` file: the one place a file name is used, and
only to give the skip reason (the format itself is detected by content; those rows look like podcast rows).

Every listen keeps the facts its source gives (docs/importing.md has the table): ``ms_played``, ``started_at``
and, from Spotify's Extended Streaming History, the reasons, flags, platform, country and account name.
The SQL parses raw values with the macros of ``extractors/importers/sql/_values.sql``; Python says which
columns a detected file has and passes the values (quoted in SQL by the ``literal`` macro).
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors import queries
from extractors.importers.detect import (
    ACCOUNT,
    EXTENDED,
    LASTFM,
    LASTFM_DATE_FORMATS,
    LASTFM_ROLES,
    LIBREFM,
    LISTENBRAINZ,
    Detected,
)

SKIP_PODCAST, SKIP_AUDIOBOOK, SKIP_VIDEO, SKIP_NO_METADATA = "podcast", "audiobook", "video", "no track metadata"
# listened to in a private session (``incognito_mode: true``): the person kept it out of the history
SKIP_INCOGNITO = "incognito"
# a row with a problem (``problem`` is not null): skipped, counted and named, unless --strict
SKIP_MALFORMED = "malformed"
# plays dated before this (Last.fm's broken scrobbles say "01 Jan 1970 00:00") or later than a day after the
# import are skipped and counted, not imported: no music service logged plays before 2000
SKIP_TOO_EARLY, SKIP_FUTURE = "date before 2000", "date in the future"
EARLIEST = "2000-01-01"  # the same bound, for ``offline_timestamp``
# the values every stage select may use
STAGE_VALUES = {
    "skip_podcast": SKIP_PODCAST,
    "skip_audiobook": SKIP_AUDIOBOOK,
    "skip_video": SKIP_VIDEO,
    "skip_no_metadata": SKIP_NO_METADATA,
    "skip_incognito": SKIP_INCOGNITO,
    "earliest": EARLIEST,
}


@dataclass(frozen=True)
class Format:
    name: str  # also the play_source of its listens
    label: str
    columns: dict[str, str]  # read_json columns (text), unused for CSV
    stage: str  # the select over import_rows: sql/stage_<stage>.sql

    def stage_sql(self, detected: Detected, user_id: str) -> str:
        """The select that stages the rows of ``detected`` files for the person ``user_id``."""
        # a CSV's role columns (c0, c1, …) by role, none when the file has no column for it
        roles: dict[str, str | None] = {f"{role}_column": None for role in LASTFM_ROLES}
        roles.update({f"{role}_column": f"c{index}" for role, index in detected.roles.items()})
        return queries.of(
            __file__,
            f"stage_{self.stage}",
            **STAGE_VALUES,
            **roles,
            date_formats=LASTFM_DATE_FORMATS,
            user_id=user_id,
            play_source=detected.format,
        )

    def reader_sql(self, detected: Detected) -> str:
        """The select of every raw row of the files bound as ``$files`` (sql/read_files.sql)."""
        return queries.of(
            __file__,
            "read_files",
            layout=detected.layout,
            header=detected.header,
            skip=detected.skip,
            column_count=detected.columns,
            delimiter=detected.delimiter,
            json_columns=self.columns,
        )


def _text_columns(names: str) -> dict[str, str]:
    return {name: "varchar" for name in names.split()}


FORMATS: dict[str, Format] = {
    EXTENDED: Format(
        EXTENDED,
        "Spotify Extended Streaming History",
        _text_columns(
            "ts username platform ms_played conn_country master_metadata_track_name "
            "master_metadata_album_artist_name master_metadata_album_album_name spotify_track_uri episode_name "
            "episode_show_name spotify_episode_uri audiobook_title audiobook_uri audiobook_chapter_uri "
            "reason_start reason_end shuffle skipped offline offline_timestamp incognito_mode"
        ),
        "spotify_extended_history",
    ),
    ACCOUNT: Format(
        ACCOUNT,
        "Spotify Account data",
        _text_columns("endTime artistName trackName podcastName episodeName msPlayed"),
        "spotify_account_data",
    ),
    LISTENBRAINZ: Format(
        LISTENBRAINZ,
        "ListenBrainz",
        {"listened_at": "varchar", "track_metadata": "json", "user_name": "varchar"},
        "listenbrainz",
    ),
    LASTFM: Format(LASTFM, "Last.fm scrobbles (CSV)", {}, "scrobbles_csv"),
    LIBREFM: Format(LIBREFM, "Libre.fm / Maloja scrobbles (CSV)", {}, "scrobbles_csv"),
}
