-- Issue 15, each artist's first and last listen: one row per artist ever played, with its all-time plays,
-- minutes and rank by plays, the distinct local days it was played, and its first and last play (local time).
with fact_track_played as (

    select * from {{ ref('fact_track_played') }}

),

dim_artist as (

    select * from {{ ref('dim_artist') }}

),

by_artist as (

    select
        artist_key,
        count(*) as plays,
        coalesce(sum(minutes_played), 0) as minutes,
        count(distinct cast(played_at_local as date)) as days_listened,
        min(played_at_local) as first_played_at_local,
        max(played_at_local) as last_played_at_local
    from fact_track_played
    where counts_as_play
    group by artist_key

),

final as (

    select
        by_artist.artist_key,
        dim_artist.artist_name,
        cast(row_number() over (
            order by by_artist.plays desc, by_artist.minutes desc, dim_artist.artist_name, by_artist.artist_key
        ) as integer) as plays_rank,
        cast(by_artist.plays as bigint) as plays,
        cast(by_artist.minutes as double) as minutes,
        cast(by_artist.days_listened as bigint) as days_listened,
        by_artist.first_played_at_local,
        by_artist.last_played_at_local
    from by_artist
    left join dim_artist
        on dim_artist.artist_key = by_artist.artist_key

)

select * from final
