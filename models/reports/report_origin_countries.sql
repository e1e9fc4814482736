-- Issue 15, where the music comes from: the plays, minutes and distinct artists per country of origin of the
-- artist (dim_artist.country_code), one row with a null country_code for the artists of unknown origin, and
-- each country's share of all plays and minutes.
with plays as (

    select * from {{ ref('fact_track_played') }}
    where counts_as_play

),

artists as (

    select * from {{ ref('dim_artist') }}

),

counted as (

    select
        artists.country_code,
        max(artists.country_name) as country_name,
        max(artists.continent) as continent,
        count(*) as plays,
        coalesce(sum(plays.minutes_played), 0) as minutes,
        count(distinct plays.artist_key) as artists
    from plays
    inner join artists
        on artists.artist_key = plays.artist_key
    group by artists.country_code

),

final as (

    select
        country_code,
        case when country_code is null then 'Unknown' else coalesce(country_name, country_code) end as country_name,
        case when country_code is null then 'Unknown' else coalesce(continent, 'Unknown') end as continent,
        country_code is not null as is_known,
        cast(plays as bigint) as plays,
        cast(minutes as double) as minutes,
        cast(artists as bigint) as artists,
        cast(plays / sum(plays) over () as double) as share_of_plays,
        cast(coalesce(minutes / nullif(sum(minutes) over (), 0), 0) as double) as share_of_minutes
    from counted

)

select * from final
