-- One row per (artist, genre): the genres of every artist of dim_artist (Spotify's, else MusicBrainz's
-- genres and tags), with how many artists of the library share the genre and whether it is the artist's
-- primary genre.
with artist_genres as (

    select * from {{ ref('int_artist_genres_ranked') }}

),

final as (

    select
        artist_key,
        genre,
        genre_source,
        votes,
        genre_artist_count,
        is_primary
    from artist_genres

)

select * from final
