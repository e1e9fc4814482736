"""Each export format as SQL: how DuckDB reads its files, and how a row becomes a listen, a skip or a problem.

Every format's ``stage`` select reads the view ``import_rows`` (raw rows with ``file_no``, ``row_no``, ``video``) and
yields ``file_no, row_no, skip_reason, problem`` plus the contract's columns it knows. ``skip_reason`` is
null for a listen to keep; ``problem`` is a malformed row's description (the row is skipped as ``malformed`` and
named in the report, or, with ``--strict``, stops the import). Raw columns are read as text and cast here with
``try_cast``, so a bad value is a row problem, not a crash. ``video`` marks the rows of a
``Streaming_History_Video_*`` file: the one place a file name is used, and only to give the skip reason (the
format itself is detected by content; those rows look like podcast rows).

Every listen keeps the facts its source gives (docs/importing.md has the table): ``ms_played``, ``started_at``
and, from Spotify's Extended Streaming History, the reasons, flags, platform, country and account name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from extractors.importers.detect import ACCOUNT, EXTENDED, LASTFM, LIBREFM, LISTENBRAINZ, Detected

SKIP_PODCAST, SKIP_AUDIOBOOK, SKIP_VIDEO, SKIP_NO_METADATA = "podcast", "audiobook", "video", "no track metadata"
# listened to in a private session (``incognito_mode: true``): the person kept it out of the history
SKIP_INCOGNITO = "incognito"
# a row with a problem (``problem`` is not null): skipped, counted and named, unless --strict
SKIP_MALFORMED = "malformed"
# plays dated before this (Last.fm's broken scrobbles say "01 Jan 1970 00:00") or later than a day after the
# import are skipped and counted, not imported: no music service logged plays before 2000
SKIP_TOO_EARLY, SKIP_FUTURE = "date before 2000", "date in the future"
EARLIEST = "timestamp '2000-01-01'"  # the same bound, for ``offline_timestamp``
LASTFM_FORMATS = "['%d %b %Y %H:%M', '%d %b %Y, %H:%M', '%d %b %Y %H:%M:%S', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M']"


def sql_str(value: str | None) -> str:
    return "null::varchar" if value is None else "'" + value.replace("'", "''") + "'"


def text(expr: str) -> str:
    """Trimmed text, empty as null."""
    return f"nullif(trim({expr}), '')"


def quoted(expr: str) -> str:
    """A raw value for a message: ``'value'`` (at most 40 characters) or ``missing``."""
    return f"coalesce('''' || left({expr}, 40) || '''', 'missing')"


def flag(expr: str) -> str:
    """A JSON true/false, or the 1/0 of older exports, as BOOLEAN; null if missing or anything else."""
    value = f"lower(trim({expr}))"
    return f"case when {value} in ('true', '1') then true when {value} in ('false', '0') then false end"


def milliseconds(expr: str) -> str:
    """A non-negative whole number of milliseconds (``180000``, ``1.8e5``) as BIGINT; null otherwise."""
    number = f"try_cast(try_cast(trim({expr}) as double) as bigint)"
    return f"case when {number} >= 0 then {number} end"


def epoch_to_timestamp(expr: str) -> str:
    """Unix time in seconds or milliseconds (values from 1e11 on: ms) as a UTC TIMESTAMP; null if not a number.

    Spotify's ``offline_timestamp`` comes in both units (1716446730 and 1572964071330); ListenBrainz and
    Last.fm give seconds. A number too large for a TIMESTAMP is null, not an error.
    """
    number = f"try_cast(trim({expr}) as double)"
    return (
        f"case when abs({number}) >= 1e11 then make_timestamp(try_cast({number} * 1000 as bigint)) "
        f"else make_timestamp(try_cast({number} * 1000000 as bigint)) end"
    )


def minus_ms(at: str, ms: str) -> str:
    """``at`` minus ``ms`` milliseconds, cut to the second (null when either is)."""
    return f"date_trunc('second', {at} - to_milliseconds({ms}))"


@dataclass(frozen=True)
class Format:
    name: str  # also the play_source of its listens
    label: str
    columns: dict[str, str]  # read_json columns (text), unused for CSV
    stage: Callable[[Detected, str], str]  # (detected, user-id SQL literal) → select over import_rows


def _extended(_: Detected, user: str) -> str:
    # offline_timestamp is when the listen began (seconds now, milliseconds in endsong files; 0 when unknown);
    # a value before 2000 or after ts is not a start time, and ts - ms_played is used instead
    return f"""
    with s as (
        select *,
            coalesce(spotify_track_uri like 'spotify:track:%', false) as is_track,
            try_cast(ts as timestamptz)::timestamp as ts_at,
            {text("master_metadata_track_name")} as name_,
            {text("master_metadata_album_artist_name")} as artist_,
            {milliseconds("ms_played")} as ms_,
            {epoch_to_timestamp("offline_timestamp")} as offline_at
        from import_rows
    ), c as (
        select *,
            case
                when coalesce({flag("incognito_mode")}, false) then '{SKIP_INCOGNITO}'
                when video then '{SKIP_VIDEO}'
                when is_track then null
                when coalesce(spotify_episode_uri, episode_name, episode_show_name) is not null then '{SKIP_PODCAST}'
                when coalesce(audiobook_uri, audiobook_title, audiobook_chapter_uri) is not null
                    then '{SKIP_AUDIOBOOK}'
                else '{SKIP_NO_METADATA}'
            end as skip_reason
        from s
    )
    select file_no, row_no, skip_reason,
        case
            when ts_at is null then 'ts ' || {quoted("ts")} || ' is not an ISO-8601 UTC time like 2024-05-23T06:49:10Z'
            when skip_reason is null and name_ is null
                then 'a track (' || spotify_track_uri || ') without master_metadata_track_name'
            when skip_reason is null and artist_ is null
                then 'a track (' || spotify_track_uri || ') without master_metadata_album_artist_name'
        end as problem,
        {user} as user_id,
        case when is_track then nullif(regexp_extract(spotify_track_uri, '[^:]*$'), '') end as track_id,
        case when is_track then spotify_track_uri end as track_uri,
        name_ as track_name,
        {text("master_metadata_album_album_name")} as album,
        artist_ as artist,
        ts_at as played_at,
        '{EXTENDED}' as play_source,
        ms_ as ms_played,
        case
            when offline_at >= {EARLIEST} and offline_at <= ts_at then date_trunc('second', offline_at)
            else {minus_ms("ts_at", "ms_")}
        end as started_at,
        {text("reason_start")} as reason_start,
        {text("reason_end")} as reason_end,
        {flag("skipped")} as skipped,
        {flag("shuffle")} as shuffle,
        {flag("offline")} as offline,
        {text("platform")} as platform,
        upper({text("conn_country")}) as conn_country,
        {text("username")} as source_user
    from c
    """


def _account(_: Detected, user: str) -> str:
    # endTime is the end of the listen cut to the minute: started_at is left to the warehouse
    return f"""
    with s as (
        select *,
            try_strptime(trim("endTime"), ['%Y-%m-%d %H:%M', '%Y-%m-%d %H:%M:%S']) as end_at,
            {text('"trackName"')} as name_,
            {text('"artistName"')} as artist_,
            case
                when {text('"trackName"')} is null and coalesce("podcastName", "episodeName") is not null
                    then '{SKIP_PODCAST}'
                when "artistName" = 'Unknown Artist' and "trackName" = 'Unknown Track' then '{SKIP_NO_METADATA}'
            end as skip_reason
        from import_rows
    )
    select file_no, row_no, skip_reason,
        case
            when end_at is null then 'endTime ' || {quoted('"endTime"')} || ' is not a UTC time like 2019-03-04 21:23'
            when skip_reason is null and name_ is null then 'a row without trackName'
            when skip_reason is null and artist_ is null then 'a row without artistName'
        end as problem,
        {user} as user_id,
        name_ as track_name,
        artist_ as artist,
        end_at as played_at,
        '{ACCOUNT}' as play_source,
        {milliseconds('"msPlayed"')} as ms_played
    from s
    """


def _listenbrainz(_: Detected, user: str) -> str:
    def first_or_only(doc: str, path: str) -> str:  # a list's first element, or the value itself
        return (
            f"case when json_type({doc}, '{path}') = 'ARRAY' then json_extract_string({doc}, '{path}[0]') "
            f"else json_extract_string({doc}, '{path}') end"
        )

    artist_mbid = text(
        "coalesce(json_extract_string(mapping, '$.artist_mbids[0]'), "
        f"json_extract_string(mapping, '$.artists[0].artist_mbid'), {first_or_only('info', '$.artist_mbids')})"
    )
    # listened_at is the start of the listen, except for the listens ListenBrainz's own importer took from a
    # Spotify Extended Streaming History: those keep Spotify's ts (the end) and say ms_played
    return f"""
    with s as (
        select *,
            coalesce({epoch_to_timestamp("listened_at")}, try_cast(listened_at as timestamptz)::timestamp) as listened,
            {text("json_extract_string(track_metadata, '$.track_name')")} as name_,
            {text("json_extract_string(track_metadata, '$.artist_name')")} as artist_,
            json_extract(track_metadata, '$.additional_info') as info,
            json_extract(track_metadata, '$.mbid_mapping') as mapping
        from import_rows
    ), t as (
        select *,
            nullif(regexp_extract(
                coalesce(json_extract_string(info, '$.spotify_id'), json_extract_string(info, '$.origin_url'), ''),
                '(?:open\\.spotify\\.com/track/|spotify:track:)([0-9A-Za-z]+)', 1
            ), '') as spotify_id,
            {milliseconds("json_extract_string(info, '$.ms_played')")} as ms_,
            coalesce(json_extract_string(info, '$.music_service') = 'spotify.com', false) as from_spotify
        from s
    )
    select file_no, row_no,
        null::varchar as skip_reason,
        case
            when listened is null
                then 'listened_at ' || {quoted("listened_at")} || ' is not a Unix time in seconds (or ISO-8601)'
            when name_ is null then 'a listen without track_metadata.track_name'
            when artist_ is null then 'a listen without track_metadata.artist_name'
        end as problem,
        {user} as user_id,
        spotify_id as track_id,
        'spotify:track:' || spotify_id as track_uri,
        {text(first_or_only("info", "$.isrc"))} as track_isrc,
        name_ as track_name,
        {text("json_extract_string(track_metadata, '$.release_name')")} as album,
        {artist_mbid} as artist_mbid,
        artist_ as artist,
        coalesce(
            try_cast(json_extract_string(info, '$.duration_ms') as bigint),
            cast(try_cast(json_extract_string(info, '$.duration') as double) * 1000 as bigint)
        ) as duration_ms,
        listened as played_at,
        '{LISTENBRAINZ}' as play_source,
        ms_ as ms_played,
        case when ms_ is not null and from_spotify then {minus_ms("listened", "ms_")} else listened end as started_at,
        {text("user_name")} as source_user
    from t
    """


def _scrobbles_csv(detected: Detected, user: str) -> str:
    """Last.fm and Libre.fm CSV: a scrobble's time is when the listen began."""
    roles = detected.roles

    def col(role: str) -> str:
        return f"c{roles[role]}" if role in roles else "null::varchar"

    uts, when = col("uts"), col("time")
    # a bare number is Unix time (0 included: a broken scrobble of 1970, skipped as "date before 2000")
    parsed = (
        f"coalesce({epoch_to_timestamp(uts)}, "
        f"case when regexp_full_match(trim({when}), '[0-9]{{1,13}}') then {epoch_to_timestamp(when)} end, "
        f"try_strptime(trim({when}), {LASTFM_FORMATS}), try_cast(trim({when}) as timestamptz)::timestamp)"
    )
    shown = f"coalesce({uts}, {when})"
    return f"""
    with s as (
        select *, {parsed} as played, {text(col("track"))} as name_, {text(col("artist"))} as artist_
        from import_rows
    )
    select file_no, row_no,
        null::varchar as skip_reason,
        case
            when played is null
                then 'date ' || {quoted(shown)} || ' is not a time like 31 Jan 2021 12:34 or a Unix time'
            when name_ is null then 'a scrobble without a track name'
            when artist_ is null then 'a scrobble without an artist'
        end as problem,
        {user} as user_id,
        name_ as track_name,
        {text(col("album"))} as album,
        {text(col("artist_mbid"))} as artist_mbid,
        artist_ as artist,
        played as played_at,
        {sql_str(detected.format)} as play_source,
        played as started_at
    from s
    """


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
        _extended,
    ),
    ACCOUNT: Format(
        ACCOUNT,
        "Spotify Account data",
        _text_columns("endTime artistName trackName podcastName episodeName msPlayed"),
        _account,
    ),
    LISTENBRAINZ: Format(
        LISTENBRAINZ,
        "ListenBrainz",
        {"listened_at": "varchar", "track_metadata": "json", "user_name": "varchar"},
        _listenbrainz,
    ),
    LASTFM: Format(LASTFM, "Last.fm scrobbles (CSV)", {}, _scrobbles_csv),
    LIBREFM: Format(LIBREFM, "Libre.fm / Maloja scrobbles (CSV)", {}, _scrobbles_csv),
}
