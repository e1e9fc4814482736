-- One row per listen (int_listens__rows_combined_into_listens: the same listen reported by several sources is
-- one row), with the keys of its artist, album, track, local date and local minute of the day, whether it counts as a
-- play (at least min_play_seconds listened, or of unknown length), the minutes listened and the listen's own facts.
with plays as (

    select * from {{ ref('int_plays_resolved') }}

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
