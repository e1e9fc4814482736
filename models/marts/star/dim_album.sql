-- One row per album (album_key): every Spotify album looked up and every album a play is counted for (by
-- Spotify id, else by artist and album name when the history names an album without an id).
with plays as (

    select * from {{ ref('int_plays_resolved') }}

),

spotify_albums as (

    select * from {{ ref('spotify_albums') }}

),

play_albums as (

    select
        album_key,
        album_id,
        album_name_key,
        mode(album_name) as album_name
    from plays
    where album_key is not null
    group by album_key, album_id, album_name_key

),

combined as (

    select
        coalesce(play_albums.album_key, {{ surrogate_key(['spotify_albums.album_id', 'cast(null as varchar)']) }})
            as album_key,
        coalesce(spotify_albums.album_id, play_albums.album_id) as album_id,
        coalesce(spotify_albums.album_name, play_albums.album_name) as album_name,
        spotify_albums.album_type,
        spotify_albums.release_date,
        spotify_albums.label,
        spotify_albums.total_tracks
    from spotify_albums
    full outer join play_albums
        on play_albums.album_id = spotify_albums.album_id

),

final as (

    select
        album_key,
        album_id,
        album_name,
        album_type,
        release_date,
        cast(year(release_date) as integer) as release_year,
        cast(year(release_date) // 10 * 10 as varchar) || 's' as release_decade,
        label,
        total_tracks
    from combined

)

select * from final
