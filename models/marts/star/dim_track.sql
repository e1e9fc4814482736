-- One row per track (track_key): every Spotify track looked up and every track a play is counted for (by
-- Spotify id, else by artist and title), with its duration (Spotify's, else the history's) in a length bucket.
-- (The tracks an album's track list names but no listen plays are not tracks of the history: left out.)
with plays as (

    select * from {{ ref('int_plays_resolved') }}

),

known_tracks as (

    select * from {{ ref('int_spotify__tracks') }}

),

played as (

    select distinct track_id
    from plays
    where track_id is not null

),

spotify_tracks as (

    select known_tracks.*
    from known_tracks
    left join played
        on played.track_id = known_tracks.track_id
    where known_tracks.known_from = 'lookup' or played.track_id is not null

),

play_tracks as (

    select
        track_key,
        track_id,
        mode(track_name) as track_name,
        max(track_isrc) as isrc,
        max(duration_ms) as duration_ms
    from plays
    group by track_key, track_id

),

combined as (

    select
        coalesce(play_tracks.track_key, {{ surrogate_key(['spotify_tracks.track_id', 'cast(null as varchar)']) }})
            as track_key,
        coalesce(spotify_tracks.track_id, play_tracks.track_id) as track_id,
        coalesce(spotify_tracks.track_name, play_tracks.track_name) as track_name,
        coalesce(spotify_tracks.isrc, play_tracks.isrc) as isrc,
        coalesce(spotify_tracks.duration_ms, play_tracks.duration_ms) as duration_ms
    from spotify_tracks
    full outer join play_tracks
        on play_tracks.track_id = spotify_tracks.track_id

),

final as (

    select
        track_key,
        track_id,
        track_name,
        isrc,
        duration_ms,
        case
            when duration_ms is null then null
            when duration_ms < 120000 then '< 2 min'
            when duration_ms < 180000 then '2-3 min'
            when duration_ms < 240000 then '3-4 min'
            when duration_ms < 300000 then '4-5 min'
            when duration_ms < 420000 then '5-7 min'
            else '7+ min'
        end as length_bucket
    from combined

)

select * from final
