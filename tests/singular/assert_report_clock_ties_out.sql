-- report_clock has the 168 hours of a week once each, and its plays and minutes add up to fact_track_played's
-- (no row returned = pass).
with clock as (

    select * from {{ ref('report_clock') }}

),

facts as (

    select
        count(*) as plays,
        coalesce(sum(minutes_played), 0) as minutes
    from {{ ref('fact_track_played') }}
    where counts_as_play

),

totals as (

    select
        count(*) as cells,
        sum(plays) as plays,
        sum(minutes) as minutes
    from clock

)

select
    totals.cells,
    totals.plays,
    facts.plays as fact_plays
from totals
cross join facts
where totals.cells <> 168
    or totals.plays <> facts.plays
    or {{ sums_differ('totals.minutes', 'facts.minutes') }}
