-- Issue 15, where the music comes from, by continent: report_origin_countries summed per continent ('Unknown'
-- for the artists of unknown origin, and for a country no continent is known of), with each continent's share
-- of all plays and minutes. An artist has one country, so the countries' distinct artists add up.
with countries as (

    select * from {{ ref('report_origin_countries') }}

),

counted as (

    select
        continent,
        sum(plays) as plays,
        sum(minutes) as minutes,
        sum(artists) as artists
    from countries
    group by continent

),

final as (

    select
        continent,
        continent <> 'Unknown' as is_known,
        cast(plays as bigint) as plays,
        cast(minutes as double) as minutes,
        cast(artists as bigint) as artists,
        cast(plays / sum(plays) over () as double) as share_of_plays,
        cast(coalesce(minutes / nullif(sum(minutes) over (), 0), 0) as double) as share_of_minutes
    from counted

)

select * from final
