-- Issue 15, the overview: per year of local time and for all time, the plays (listens that count as plays),
-- the hours listened in them, the distinct artists, tracks and albums played, and the first and last play.
-- `period` is the year ('2025') or 'all time'; `year` is null for all time. Added up from the plays per year
-- and item (int_plays_yearly) and the days with music (int_listening_days), both incremental, not from every play.
with plays_yearly as (

    select * from {{ ref('int_plays_yearly') }}

),

days as (

    select * from {{ ref('int_listening_days') }}

),

-- one grouping per year, and the empty grouping: all time
by_period as (

    select
        case when grouping(year) = 1 then 'all time' else cast(year as varchar) end as period,
        year,
        coalesce(sum(plays), 0) as plays,
        coalesce(sum(minutes), 0) / 60.0 as hours_listened,
        count(distinct artist_key) as artists,
        count(distinct track_key) as tracks,
        count(distinct album_key) as albums
    from plays_yearly
    group by grouping sets ((year), ())

),

first_and_last as (

    select
        case
            when grouping(year(local_date)) = 1 then 'all time' else cast(year(local_date) as varchar)
        end as period,
        min(first_played_at_local) as first_played_at_local,
        max(last_played_at_local) as last_played_at_local
    from days
    group by grouping sets ((year(local_date)), ())

),

final as (

    select
        by_period.period,
        by_period.year,
        cast(by_period.plays as bigint) as plays,
        cast(by_period.hours_listened as double) as hours_listened,
        cast(by_period.artists as bigint) as artists,
        cast(by_period.tracks as bigint) as tracks,
        cast(by_period.albums as bigint) as albums,
        first_and_last.first_played_at_local,
        first_and_last.last_played_at_local
    from by_period
    left join first_and_last
        on first_and_last.period = by_period.period

)

select * from final
