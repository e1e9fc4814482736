{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ listens_delete_changed(ref('int_listens__rows_matched_to_listens'), 'row_key', 'listen_key') }}",
    post_hook="{{ listens_record_applied('int_listens__rows_matched_to_listens') }}",
) }}
-- One row per listen: the rows of int_listens__rows_matched_to_listens combined. Each fact comes from the
-- richest source that has it (macros/listens.sql: Extended history first); the start and the end from the source that
-- knows them most precisely; `sources` names every source that reported the listen.
-- Incremental (docs/incremental.md): a build combines again the listens of the rows
-- int_listens__rows_matched_to_listens rewrote since the last one (a listen's key is one of its rows' keys,
-- so its pre-hook deleted them by those keys).
{% set state = listens_incremental_mode('int_listens__rows_matched_to_listens') %}with rows_ as (

    select * from {{ ref('int_listens__rows_deduplicated') }}

),

merged as (

    select * from {{ ref('int_listens__rows_matched_to_listens') }}
    {%- if state.mode == 'changes' %}
    where built_at > cast('{{ state.applied_at }}' as timestamp)
    {%- endif %}

),

combined as (

    select
        merged.listen_key,
        any_value(rows_.user_id) as user_id,
        {%- for column in ['track_id', 'track_uri', 'track_isrc', 'track_name', 'album_id', 'album_uri', 'album',
                           'artist_id', 'artist_mbid', 'artist', 'duration_ms', 'popularity', 'ms_played',
                           'reason_start', 'reason_end', 'skipped', 'shuffle', 'offline', 'platform',
                           'conn_country', 'source_user'] %}
        arg_min(rows_.{{ column }}, rows_.source_rank) as {{ column }},
        {%- endfor %}
        arg_min(rows_.started_at_known, rows_.precision_seconds * 100 + rows_.source_rank) as started_at,
        arg_min(rows_.ended_at_known, rows_.precision_seconds * 100 + rows_.source_rank) as ended_at,
        -- the moment the richest source recorded, for listens no source dates more precisely
        arg_min(rows_.played_at, rows_.source_rank) as reported_at,
        array_to_string(list_sort(list_distinct(list(rows_.play_source))), ',') as sources,
        count(*) as reported_rows
    from merged
    inner join rows_
        on rows_.row_key = merged.row_key
    group by merged.listen_key

),

final as (

    select
        listen_key,
        user_id,
        track_id,
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
        ms_played,
        coalesce(started_at, ended_at - to_milliseconds(ms_played)) as started_at,
        coalesce(ended_at, started_at + to_milliseconds(ms_played), reported_at) as played_at,
        reason_start,
        reason_end,
        skipped,
        shuffle,
        offline,
        platform,
        conn_country,
        source_user,
        sources,
        reported_rows,
        {{ listens_build_time() }} as built_at
    from combined

)

select * from final
