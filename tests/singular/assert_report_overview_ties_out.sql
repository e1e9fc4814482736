-- report_overview ties out against fact_track_played: the years' plays and hours add up to all time, and all
-- time is the fact table's plays and minutes (no row returned = pass).
with overview as (

    select * from {{ ref('report_overview') }}

),

facts as (

    select
        count(*) as plays,
        coalesce(sum(minutes_played), 0) / 60.0 as hours,
        count(distinct artist_key) as artists
    from {{ ref('fact_track_played') }}
    where counts_as_play

),

years as (

    select
        coalesce(sum(plays), 0) as plays,
        coalesce(sum(hours_listened), 0) as hours
    from overview
    where year is not null

),

all_time as (

    select
        plays,
        hours_listened,
        artists
    from overview
    where period = 'all time'

)

select
    facts.plays as fact_plays,
    years.plays as year_plays,
    all_time.plays as all_time_plays
from facts
cross join years
cross join all_time
where facts.plays <> all_time.plays
    or facts.plays <> years.plays
    or {{ sums_differ('facts.hours', 'all_time.hours_listened') }}
    or {{ sums_differ('facts.hours', 'years.hours') }}
    or facts.artists <> all_time.artists
