-- Issue 15, how old the music was when played: the plays and minutes per age of the music at the time of the
-- play (the local year of the play minus the album's release year, at least 0), and each age's share among
-- the plays of known age. Only plays whose album has a release year.
with plays as (

    select * from {{ ref('fact_track_played') }}
    where counts_as_play

),

albums as (

    select * from {{ ref('dim_album') }}

),

aged as (

    select
        plays.minutes_played,
        greatest(year(plays.played_at_local) - albums.release_year, 0) as age_years
    from plays
    inner join albums
        on albums.album_key = plays.album_key
    where albums.release_year is not null

),

counted as (

    select
        age_years,
        count(*) as plays,
        coalesce(sum(minutes_played), 0) as minutes
    from aged
    group by age_years

),

final as (

    select
        cast(age_years as integer) as age_years,
        cast(plays as bigint) as plays,
        cast(minutes as double) as minutes,
        cast(plays / sum(plays) over () as double) as share_of_plays
    from counted

)

select * from final
