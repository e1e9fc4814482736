-- Issue 15, where the music comes from, by continent: the plays, minutes and distinct artists per continent of
-- the artist's country of origin (dim_artist.continent; 'Unknown' when not known), and each continent's share
-- of all plays and minutes.
with plays as (

    select * from {{ ref('fact_track_played') }}
    where counts_as_play

),

artists as (

    select * from {{ ref('dim_artist') }}

),

counted as (

    select
        coalesce(artists.continent, 'Unknown') as continent,
        artists.continent is not null as is_known,
        count(*) as plays,
        coalesce(sum(plays.minutes_played), 0) as minutes,
        count(distinct plays.artist_key) as artists
    from plays
    inner join artists
        on artists.artist_key = plays.artist_key
    group by coalesce(artists.continent, 'Unknown'), artists.continent is not null

),

final as (

    select
        continent,
        is_known,
        cast(plays as bigint) as plays,
        cast(minutes as double) as minutes,
        cast(artists as bigint) as artists,
        cast(plays / sum(plays) over () as double) as share_of_plays,
        cast(coalesce(minutes / nullif(sum(minutes) over (), 0), 0) as double) as share_of_minutes
    from counted

)

select * from final
