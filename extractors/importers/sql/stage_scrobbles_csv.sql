-- Last.fm and Libre.fm (or Maloja) CSV: one row of import_staged per raw row of import_rows (file_no, row_no,
-- skip_reason, problem and the contract's columns). The importer found which CSV column (c0, c1, …) plays
-- each role: uts_column (Unix time), time_column (a date), track_column, artist_column, album_column and
-- artist_mbid_column, none when the file lacks it. A scrobble's time is when the listen began: uts, else a
-- bare number in the date column (0 included: a broken scrobble of 1970, skipped as too early), else a date
-- in one of date_formats, else an ISO-8601 time.
{%- set uts = csv_column(uts_column) %}
{%- set time = csv_column(time_column) %}
with parsed as (
    select
        *,
        coalesce(
            {{ epoch_to_timestamp(uts) }},
            case when regexp_full_match(trim({{ time }}), '[0-9]{1,13}') then {{ epoch_to_timestamp(time) }} end,
            try_strptime(trim({{ time }}), {{ literals(date_formats) }}),
            try_cast(trim({{ time }}) as timestamptz)::timestamp
        ) as played,
        {{ text(csv_column(track_column)) }} as name_,
        {{ text(csv_column(artist_column)) }} as artist_
    from import_rows
)

select
    file_no,
    row_no,
    null::varchar as skip_reason,
    case
        when played is null
            then 'date ' || {{ quoted('coalesce(' ~ uts ~ ', ' ~ time ~ ')') }}
                || ' is not a time like 31 Jan 2021 12:34 or a Unix time'
        when name_ is null then 'a scrobble without a track name'
        when artist_ is null then 'a scrobble without an artist'
    end as problem,
    {{ literal(user_id) }} as user_id,
    name_ as track_name,
    {{ text(csv_column(album_column)) }} as album,
    {{ text(csv_column(artist_mbid_column)) }} as artist_mbid,
    artist_ as artist,
    played as played_at,
    {{ literal(play_source) }} as play_source,
    played as started_at
from parsed
