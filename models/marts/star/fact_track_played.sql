-- One row per play (the play key of extractors/history.py: a play loaded twice counts once), with the keys
-- of its artist, album, track, local date and local minute of the day, and its duration.
with plays as (

    select * from {{ ref('int_star__plays') }}

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
        played_at,
        played_at_local,
        duration_ms,
        cast(duration_ms / 60000.0 as double) as minutes,
        artist_match,
        play_source
    from plays

)

select * from final
