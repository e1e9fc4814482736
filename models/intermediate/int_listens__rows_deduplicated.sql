{{ config(materialized='table') }}
-- Every listen each source reported, once (a row loaded twice counts once), with what the merge needs: the
-- person, the track as listeners compare it, and the window in which the listen's start and end must lie
-- given what the source records and how precisely (macros/listens.sql, docs/listens.md).
with history as (

    select * from {{ ref('stg_history__tracks_played') }}

),

keyed as (

    select
        *,
        {{ play_key_text() }} as row_key_text
    from history

),

-- the same row loaded twice (an export imported again into another file) counts once
distinct_rows as (

    select *
    from keyed
    qualify
        row_number() over (
            partition by row_key_text
            order by artist_id nulls last, album_id nulls last, duration_ms nulls last, track_isrc nulls last
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

described as (

    select
        *,
        coalesce(nullif(trim(user_id), ''), {{ sql_string(env_var('USER_ID', 'me')) }}) as person_id,
        -- the one definition of a play's track id (macros/rules/spotify_track_id.sql, docs/rules.md)
        {{ spotify_track_id('track_id', 'track_uri') }} as spotify_track_id,
        {{ listen_name_key(primary_artist_name('artist'), 'track_name') }} as name_key,
        {{ listen_source_attribute('play_source', 'rank', other_source_rank()) }} as source_rank,
        {{ listen_source_attribute('play_source', 'records', 'end') }} as records,
        {{ listen_source_attribute('play_source', 'precision_seconds', 0) }} as precision_seconds,
        {{ listen_source_attribute('play_source', 'min_ms_played', 0) }} as min_ms_played,
        cast({{ var('merge_tolerance_seconds') }} as double) as tolerance,
        -- a listen of unknown length cannot have lasted longer than this (the window of a polled listen)
        cast({{ var('longest_listen_seconds') }} as double) as longest
    from upgraded

),

-- the source's moment of the listen and the start it gives, in seconds since the epoch
moments as (

    select
        *,
        case
            when records = 'start' then {{ epoch_seconds('coalesce(started_at, played_at)') }}
            when started_at is not null and ms_played is not null
                -- an offline listen's ts is when it was synced: its end is its start plus what was played
                then {{ epoch_seconds('started_at') }} + ms_played / 1000.0
            else {{ epoch_seconds('played_at') }}
        end as anchor_s,
        {{ epoch_seconds('started_at') }} as started_s
    from described

),

windows as (

    select
        *,
        -- when the listen began: at most [lo, hi]
        case
            when records = 'start' then anchor_s - tolerance - precision_seconds
            when started_at is not null then started_s - tolerance
            when ms_played is not null then anchor_s - ms_played / 1000.0 - tolerance
            else anchor_s - coalesce(duration_ms / 1000.0, longest) - tolerance
        end as start_lo,
        case
            when records = 'start' then anchor_s + tolerance + precision_seconds
            when started_at is not null then started_s + tolerance
            when ms_played is not null then anchor_s + precision_seconds - ms_played / 1000.0 + tolerance
            else anchor_s + precision_seconds + tolerance
        end as start_hi,
        -- when it ended
        case
            when records = 'start' and ms_played is not null then anchor_s + ms_played / 1000.0 - tolerance
            else anchor_s - tolerance
        end as end_lo,
        case
            when records = 'start' and ms_played is not null then anchor_s + ms_played / 1000.0 + tolerance
            when records = 'start' then anchor_s + coalesce(duration_ms / 1000.0, longest) + tolerance
            else anchor_s + precision_seconds + tolerance
        end as end_hi,
        -- the best single guesses of the start and the end, to rank candidate matches, and whether the
        -- source really knows them (else the guess assumes the whole track was heard)
        case
            when records = 'start' then anchor_s
            when started_at is not null then started_s
            else anchor_s + precision_seconds / 2.0 - coalesce(ms_played / 1000.0, duration_ms / 1000.0, 0)
        end as start_guess,
        case
            when records = 'end' then anchor_s + precision_seconds / 2.0
            else anchor_s + coalesce(ms_played / 1000.0, duration_ms / 1000.0, 0)
        end as end_guess,
        records = 'start' or started_at is not null or ms_played is not null as start_known,
        records = 'end' or ms_played is not null as end_known
    from moments

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
        end as ended_at_known
    from sequenced

)

select * from final
