-- Every row of the history (duplicates included), with what the incremental merge (docs/incremental.md)
-- needs before anything is merged: its hash (a row changed or loaded again is new), its key text, the person,
-- its source's attributes (macros/listens.sql) and the windows in which the listen's start and end must lie
-- (docs/listens.md), its merge interval [merge_lo, merge_hi] (the windows: rows whose merge intervals do not
-- overlap are never merged, nor one another's neighbours within a source) and its upgrade key (rows that may
-- stand for one another: the same source, second, track and artist, int_listens__rows_deduplicated). A view,
-- read by int_listens__rows_deduplicated and its hooks.
with history as (

    select * from {{ ref('stg_history__tracks_played') }}

),

keyed as (

    select
        *,
        -- the row's hash: its contract columns, not its file (the same row in two files is one row)
        hash(
            {%- for column in tracks_played_columns() %}
            {{ column[0] }}{{ ',' if not loop.last }}
            {%- endfor %}
        ) as row_hash,
        {{ play_key_text() }} as row_key_text
    from history

),

described as (

    select
        *,
        coalesce(nullif(trim(user_id), ''), {{ sql_string(env_var('USER_ID', 'me')) }}) as person_id,
        {{ listen_source_attribute('play_source', 'rank', other_source_rank()) }} as source_rank,
        {{ listen_source_attribute('play_source', 'records', 'end') }} as records,
        {{ listen_source_attribute('play_source', 'precision_seconds', 0) }} as precision_seconds,
        {{ listen_source_attribute('play_source', 'min_ms_played', 0) }} as min_ms_played,
        cast({{ var('merge_tolerance_seconds') }} as double) as tolerance,
        -- a listen of unknown length cannot have lasted longer than this (the window of a polled listen)
        cast({{ var('longest_listen_seconds') }} as double) as longest
    from keyed

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
        records = 'end' or ms_played is not null as end_known,
        -- rows loaded twice, or imported before and after ms_played was kept, share it
        hash(
            play_source, date_trunc('second', played_at), coalesce(track_id, track_name), coalesce(artist, '')
        ) as upgrade_key
    from moments

),

final as (

    select
        *,
        coalesce(least(start_lo, start_hi, end_lo, end_hi, start_guess, end_guess), 0) as merge_lo,
        coalesce(greatest(start_lo, start_hi, end_lo, end_hi, start_guess, end_guess), 0) as merge_hi
    from windows

)

select * from final
