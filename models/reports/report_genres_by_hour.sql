-- Issue 15, genres by hour: for each local hour of the day, the plays and minutes of each of the 8 primary
-- genres with the most all-time plays, the other genres together ('other') and the plays of artists with no
-- genre ('unknown'), with each one's share of the hour's plays. Only hours and genres with a play are present.
with plays as (

    select * from {{ ref('fact_track_played') }}
    where counts_as_play

),

artists as (

    select * from {{ ref('dim_artist') }}

),

played as (

    select
        artists.primary_genre as genre,
        cast(hour(plays.played_at_local) as integer) as hour,
        plays.minutes_played
    from plays
    inner join artists
        on artists.artist_key = plays.artist_key

),

-- the known genres ranked by all-time plays (ties: minutes, then name)
genres_ranked as (

    select
        genre,
        cast(row_number() over (order by count(*) desc, sum(minutes_played) desc, genre) as integer) as genre_rank
    from played
    where genre is not null
    group by genre

),

grouped as (

    select
        played.hour,
        played.minutes_played,
        case
            when played.genre is null then 'unknown'
            when genres_ranked.genre_rank <= 8 then played.genre
            else 'other'
        end as genre,
        case
            when played.genre is null then 10
            when genres_ranked.genre_rank <= 8 then genres_ranked.genre_rank
            else 9
        end as genre_rank
    from played
    left join genres_ranked
        on genres_ranked.genre = played.genre

),

counted as (

    select
        hour,
        genre,
        genre_rank,
        count(*) as plays,
        coalesce(sum(minutes_played), 0) as minutes
    from grouped
    group by hour, genre, genre_rank

),

final as (

    select
        hour,
        genre,
        cast(genre_rank as integer) as genre_rank,
        cast(plays as bigint) as plays,
        cast(minutes as double) as minutes,
        cast(plays / sum(plays) over (partition by hour) as double) as share_of_hour
    from counted

)

select * from final
