-- One row per (played artist, genre): every play of the artist (a listen that counts as a play) counts for
-- each of its genres, with the minutes listened in those plays. The genre's
-- plays and minutes over all its artists rank it among the genres in quintiles (ntile(5): 5 = the most
-- played fifth of the genres, 1 = the least).
with plays as (

    select * from {{ ref('fact_track_played') }}

),

artist_genres as (

    select * from {{ ref('dim_artist_genre') }}

),

artist_plays as (

    select
        artist_key,
        count(*) as plays,
        cast(coalesce(sum(minutes_played), 0) as double) as minutes
    from plays
    where counts_as_play
    group by artist_key

),

joined as (

    select
        artist_genres.artist_key,
        artist_genres.genre,
        artist_genres.is_primary,
        artist_plays.plays,
        artist_plays.minutes
    from artist_genres
    inner join artist_plays
        on artist_plays.artist_key = artist_genres.artist_key

),

genre_totals as (

    select
        genre,
        cast(sum(plays) as bigint) as genre_plays,
        sum(minutes) as genre_minutes
    from joined
    group by genre

),

genre_quintiles as (

    select
        genre,
        genre_plays,
        genre_minutes,
        cast(ntile(5) over (order by genre_plays, genre) as integer) as genre_plays_quintile,
        cast(ntile(5) over (order by genre_minutes, genre) as integer) as genre_minutes_quintile
    from genre_totals

),

final as (

    select
        joined.artist_key,
        joined.genre,
        joined.is_primary,
        joined.plays,
        joined.minutes,
        genre_quintiles.genre_plays,
        genre_quintiles.genre_minutes,
        genre_quintiles.genre_plays_quintile,
        genre_quintiles.genre_minutes_quintile
    from joined
    inner join genre_quintiles
        on genre_quintiles.genre = joined.genre

)

select * from final
