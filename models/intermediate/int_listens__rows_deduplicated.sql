{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ listens_history_changes(ref('int_listens__rows_windowed')) }}",
    post_hook=[
        "{{ listens_history_seen_update(ref('int_listens__rows_windowed')) }}",
        "{{ listens_record_applied() }}",
    ],
) }}
-- Every listen each source reported, once (a row loaded twice counts once), with what the merge needs: the
-- person, the track as listeners compare it, and the window in which the listen's start and end must lie
-- given what the source records and how precisely (macros/listens.sql, docs/listens.md).
-- Incremental (docs/incremental.md): a build recomputes the islands of the time line that hold a new or a
-- gone history row (listens_history_changes, its pre-hook, deletes their stored rows); built_at says when.
{%- set state = listens_incremental_mode() %}
with windowed as (

    select * exclude (source_file) from {{ ref('int_listens__rows_windowed') }}

),

{% if state.mode == 'changes' %}
ranges as (

    select * from {{ listens_side_table('listens_history_ranges') }}

),

-- the history rows in the islands this build recomputes (the filters only spare the rest the work: played_at
-- first, between the times of the islands' rows, so that the history's row groups of other times are not
-- read at all; listens_history_played_sql, in the pre-hook)
near as (

    select *
    from windowed
    where
        played_at between {{ listens_history_played_between() }}
        and merge_lo between (select min(lo) from ranges) and (select max(hi) from ranges)

),

history as (

    select near.*
    from near
    asof inner join ranges
        on near.merge_lo >= ranges.lo
    where near.merge_lo <= ranges.hi

),
{% else %}
history as (

    select * from windowed

),
{% endif %}

-- the same row loaded twice (an export imported again into another file) counts once
distinct_rows as (

    select *
    from history
    qualify
        row_number() over (
            partition by row_key_text
            order by artist_id nulls last, album_id nulls last, duration_ms nulls last, track_isrc nulls last, row_hash
        ) = 1

),

-- a row imported before ms_played was kept, and the same row imported again with it (same source, second,
-- track and artist; the older import may also name the export's account as user_id): the newer one stands
upgraded as (

    select *
    from distinct_rows
    qualify
        ms_played is not null or count(ms_played) over (
            partition by
                play_source,
                date_trunc('second', played_at),
                coalesce(track_id, track_name),
                coalesce(artist, '')
        ) = 0

),

windows as (

    select
        *,
        -- the one definition of a play's track id (macros/rules/spotify_track_id.sql, docs/rules.md)
        {{ spotify_track_id('track_id', 'track_uri') }} as spotify_track_id,
        {{ listen_name_key(primary_artist_name('artist'), 'track_name') }} as name_key
    from upgraded

),

-- one source reports one person's listens one after another: a listen began after the one before it in
-- that source ended, and ended before the next began (what pins a polled listen of unknown length). Only
-- for sources with exact times: Account data cannot order two listens that ended in the same minute.
sequenced as (

    select
        * exclude (start_lo, end_hi),
        case
            when precision_seconds = 0 then greatest(start_lo, coalesce(lag(end_lo) over by_source, start_lo))
            else start_lo
        end as start_lo,
        case
            when precision_seconds = 0 then least(end_hi, coalesce(lead(start_hi) over by_source, end_hi))
            else end_hi
        end as end_hi
    from windows
    window by_source as (
        partition by person_id, play_source
        order by case when records = 'end' then end_guess else start_guess end, start_guess, row_key_text
    )

),

final as (

    select
        {{ surrogate_key(['row_key_text']) }} as row_key,
        person_id as user_id,
        -- a history file without play_source still names its rows' source in `sources`
        coalesce(nullif(trim(play_source), ''), 'unknown') as play_source,
        source_rank,
        precision_seconds,
        min_ms_played,
        spotify_track_id as track_id,
        track_uri,
        track_isrc,
        track_name,
        album_id,
        album_uri,
        album,
        artist_id,
        artist_mbid,
        artist,
        duration_ms,
        popularity,
        name_key,
        played_at,
        started_at,
        ms_played,
        reason_start,
        reason_end,
        skipped,
        shuffle,
        offline,
        platform,
        conn_country,
        source_user,
        start_lo,
        start_hi,
        end_lo,
        end_hi,
        start_guess,
        end_guess,
        start_known,
        end_known,
        -- the hour of the start guess: candidate matches are looked for in that hour and the hours either side
        cast(floor(start_guess / 3600) as bigint) as start_hour,
        -- the best known start and end (UTC)
        case
            when records = 'start' then coalesce(started_at, played_at)
            when started_at is not null then started_at
            when ms_played is not null
                then played_at + to_milliseconds(cast(precision_seconds * 500 as bigint)) - to_milliseconds(ms_played)
        end as started_at_known,
        case
            when records = 'end'
                then make_timestamp(cast(round((anchor_s + precision_seconds / 2.0) * 1000000) as bigint))
            when ms_played is not null then coalesce(started_at, played_at) + to_milliseconds(ms_played)
        end as ended_at_known,
        merge_lo,
        merge_hi,
        {{ listens_build_time() }} as built_at
    from sequenced

)

select * from final
