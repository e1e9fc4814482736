-- Issue 15, the clock: one row per weekday and hour of local time (all 168, an empty one with 0), the plays
-- and the minutes listened in them: the hour x weekday heatmap. `weekday` is ISO (1 Monday ... 7 Sunday).
with plays as (

    select * from {{ ref('fact_track_played') }}
    where counts_as_play

),

cells as (

    select
        cast(weekdays.range as integer) as weekday,
        cast(hours.range as integer) as hour
    from range(1, 8) as weekdays
    cross join range(0, 24) as hours

),

counted as (

    select
        cast(isodow(played_at_local) as integer) as weekday,
        cast(hour(played_at_local) as integer) as hour,
        count(*) as plays,
        sum(minutes_played) as minutes
    from plays
    group by isodow(played_at_local), hour(played_at_local)

),

final as (

    select
        cells.weekday,
        dayname(date '2024-01-07' + cells.weekday) as weekday_name,
        cells.hour,
        cast(coalesce(counted.plays, 0) as bigint) as plays,
        cast(coalesce(counted.minutes, 0) as double) as minutes
    from cells
    left join counted
        on counted.weekday = cells.weekday and counted.hour = cells.hour

)

select * from final
