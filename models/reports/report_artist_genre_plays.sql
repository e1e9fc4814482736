-- One row per (played artist, genre) with the artist's plays and minutes and the genre's quintiles, the
-- artist's name and country. Also written to <DATA_DIR>/exports/report_artist_genre_plays.parquet.
with artist_genres as (

    select * from {{ ref('fact_artist_genre') }}

),

artists as (

    select * from {{ ref('dim_artist') }}

),

final as (

    select
        artist_genres.artist_key,
        artists.artist_name,
        artist_genres.genre,
        artist_genres.is_primary,
        artist_genres.plays,
        artist_genres.minutes,
        artist_genres.genre_plays,
        artist_genres.genre_minutes,
        artist_genres.genre_plays_quintile,
        artist_genres.genre_minutes_quintile,
        artists.continent,
        artists.country_name
    from artist_genres
    inner join artists
        on artists.artist_key = artist_genres.artist_key

)

select * from final
