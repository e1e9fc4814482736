-- One row per listen (int_listens__rows_combined_into_listens: the same listen reported by several sources is
-- one row), with the keys of its artist, album, track, local date and local minute of the day, whether it counts as a
-- play (at least min_play_seconds listened, or of unknown length), the minutes listened and the listen's own facts.
-- Incremental (docs/incremental.md): a build copies the listens int_plays_resolved rewrote since the last one
-- (its pre-hook deleted them, and the ones int_plays_resolved deleted, keeping their rows as they were in
-- listens_fact_changes for the models that order the plays in time: macros/plays_incremental.sql).
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ listens_delete_changed(ref('int_plays_resolved'), 'play_key', 'play_key', keep_rows=true) }}",
    post_hook="{{ listens_record_applied('int_plays_resolved') }}",
) }}
{% set state = listens_incremental_mode('int_plays_resolved') %}
with plays as (

    select * from {{ ref('int_plays_resolved') }}
    {%- if state.mode == 'changes' %}
    where built_at > cast('{{ state.applied_at }}' as timestamp)
    {%- endif %}

),

final as (

    select
        play_key,
        user_id,
        artist_key,
        album_key,
        track_key,
        date_key,
        time_key,
        started_at,
        played_at,
        played_at_local,
        duration_ms,
        ms_played,
        counts_as_play,
        minutes_played,
        skipped,
        shuffle,
        offline,
        reason_start,
        reason_end,
        platform,
        conn_country,
        artist_match,
        track_match,
        sources
    from plays

)

select * from final
