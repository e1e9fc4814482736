-- report_genres_by_hour ties out against fact_track_played: its plays and minutes add up to the fact's plays
-- and minutes, each hour's plays to the fact's plays in that hour, and each hour's shares to 1 (no row
-- returned = pass).
-- Minutes agree to a relative 1e-9 (a sum in another order differs in its last bits).
with report as (

    select * from {{ ref('report_genres_by_hour') }}

),

fact_hours as (

    select
        cast(hour(played_at_local) as integer) as hour,
        count(*) as plays,
        coalesce(sum(minutes_played), 0) as minutes
    from {{ ref('fact_track_played') }}
    where counts_as_play
    group by hour(played_at_local)

),

report_hours as (

    select
        hour,
        sum(plays) as plays,
        sum(minutes) as minutes,
        sum(share_of_hour) as shares
    from report
    group by hour

)

select
    coalesce(fact_hours.hour, report_hours.hour) as hour,
    fact_hours.plays as fact_plays,
    report_hours.plays as report_plays,
    report_hours.shares
from fact_hours
full outer join report_hours
    on report_hours.hour = fact_hours.hour
where fact_hours.plays is distinct from report_hours.plays
    or {{ sums_differ('fact_hours.minutes', 'report_hours.minutes') }}
    or abs(report_hours.shares - 1) > 1e-9
