-- Issue 15, the overview: per year of local time and for all time, the plays (listens that count as plays),
-- the hours listened in them, the distinct artists, tracks and albums played, and the first and last play.
-- `period` is the year ('2025') or 'all time'; `year` is null for all time.
with plays as (

    select * from {{ ref('fact_track_played') }}
    where counts_as_play

),

-- one grouping per year, and the empty grouping: all time
by_period as (

    select
        case
            when grouping(year(played_at_local)) = 1 then 'all time' else cast(year(played_at_local) as varchar)
        end as period,
        cast(year(played_at_local) as integer) as year,
        count(*) as plays,
        coalesce(sum(minutes_played), 0) / 60.0 as hours_listened,
        count(distinct artist_key) as artists,
        count(distinct track_key) as tracks,
        count(distinct album_key) as albums,
        min(played_at_local) as first_played_at_local,
        max(played_at_local) as last_played_at_local
    from plays
    group by grouping sets ((year(played_at_local)), ())

),

final as (

    select
        period,
        year,
        cast(plays as bigint) as plays,
        cast(hours_listened as double) as hours_listened,
        cast(artists as bigint) as artists,
        cast(tracks as bigint) as tracks,
        cast(albums as bigint) as albums,
        first_played_at_local,
        last_played_at_local
    from by_period

)

select * from final
