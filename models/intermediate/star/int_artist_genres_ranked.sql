{{ config(materialized='synced_table') }}
-- One row per (artist of the star schema, genre): the artist's Spotify genres, else (Spotify has none for it)
-- its MusicBrainz genres and tags. Each genre counts the artists of the library that have it; an artist's
-- primary genre is its genre most common across the library (ties: more MusicBrainz votes, then by name).
with artists as (

    select * from {{ ref('int_artists_combined') }}

),

spotify_genres as (

    select * from {{ ref('spotify_artist_genre') }}

),

mbz_genres as (

    select * from {{ ref('mbz_artist_genre') }}

),

from_spotify as (

    select distinct
        artists.artist_key,
        spotify_genres.genre,
        'spotify' as genre_source,
        cast(null as integer) as votes
    from artists
    inner join spotify_genres
        on spotify_genres.artist_id = artists.artist_id

),

-- MusicBrainz only for artists Spotify gives no genre; a name both a genre and a tag: the genre, most votes
from_musicbrainz as (

    select
        artists.artist_key,
        mbz_genres.genre,
        'musicbrainz_' || mbz_genres.source as genre_source,
        mbz_genres.count as votes
    from artists
    inner join mbz_genres
        on mbz_genres.artist_mbid = artists.artist_mbid
    where artists.artist_key not in (select from_spotify.artist_key from from_spotify)
    qualify
        row_number() over (
            partition by artists.artist_key, mbz_genres.genre
            order by mbz_genres.source = 'genre' desc, mbz_genres.count desc
        ) = 1

),

combined as (

    select * from from_spotify
    union all
    select * from from_musicbrainz

),

library as (

    select
        genre,
        count(distinct artist_key) as genre_artist_count
    from combined
    group by genre

),

final as (

    select
        combined.artist_key,
        combined.genre,
        combined.genre_source,
        combined.votes,
        cast(library.genre_artist_count as integer) as genre_artist_count,
        row_number() over (
            partition by combined.artist_key
            order by library.genre_artist_count desc, combined.votes desc nulls last, combined.genre
        ) = 1 as is_primary
    from combined
    inner join library
        on library.genre = combined.genre

)

select * from final
