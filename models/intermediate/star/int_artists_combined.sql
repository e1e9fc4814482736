{{ config(materialized='synced_table') }}
-- One row per artist of the star schema: every Spotify artist looked up, every Spotify id a play is counted
-- for (also one Spotify no longer answers for), and every artist the history names that no Spotify artist
-- matched (keyed by its cleaned name). Its MBID: the one matched to the Spotify artist, else MusicBrainz's
-- mapping of it, else the one its plays carry.
with plays as (

    select * from {{ ref('int_plays_resolved') }}

),

spotify_artists as (

    select * from {{ ref('spotify_artists') }}

),

artist_info as (

    select * from {{ ref('mbz_artist_info') }}

),

-- the MBID MusicBrainz maps to a Spotify artist (one per Spotify artist)
mbz_by_spotify as (

    select
        spotify_artist_id,
        artist_mbid
    from artist_info
    where spotify_artist_id is not null
    qualify row_number() over (partition by spotify_artist_id order by artist_mbid) = 1

),

play_artists as (

    select
        artist_id,
        artist_name_key,
        mode(artist_name) as artist_name,
        max(artist_mbid) as artist_mbid
    from plays
    group by artist_id, artist_name_key

),

combined as (

    select
        coalesce(spotify_artists.artist_id, play_artists.artist_id) as artist_id,
        play_artists.artist_name_key,
        coalesce(spotify_artists.artist_name, play_artists.artist_name) as artist_name,
        coalesce(spotify_artists.artist_mbid, mbz_by_spotify.artist_mbid, play_artists.artist_mbid) as artist_mbid,
        spotify_artists.artist_popularity as popularity,
        spotify_artists.followers
    from spotify_artists
    full outer join play_artists
        on play_artists.artist_id = spotify_artists.artist_id
    left join mbz_by_spotify
        on mbz_by_spotify.spotify_artist_id = coalesce(spotify_artists.artist_id, play_artists.artist_id)

),

final as (

    select
        {{ surrogate_key(['artist_id', 'artist_name_key']) }} as artist_key,
        artist_id,
        artist_name_key,
        artist_name,
        artist_mbid,
        popularity,
        followers
    from combined

)

select * from final
