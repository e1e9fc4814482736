-- report_origin_countries ties out against fact_track_played: its plays and minutes add up to the fact's
-- plays and minutes, and the shares of plays and of minutes each add up to 1 (no row returned = pass).
-- Minutes agree to a relative 1e-9 (a sum in another order differs in its last bits).
with report as (

    select * from {{ ref('report_origin_countries') }}

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
        coalesce(sum(plays), 0) as plays,
        coalesce(sum(minutes), 0) as minutes,
        sum(share_of_plays) as share_of_plays,
        sum(share_of_minutes) as share_of_minutes
    from report

)

select
    facts.plays as fact_plays,
    totals.plays as report_plays,
    totals.share_of_plays,
    totals.share_of_minutes
from facts
cross join totals
where facts.plays <> totals.plays
    or {{ sums_differ('facts.minutes', 'totals.minutes') }}
    or (facts.plays > 0 and abs(totals.share_of_plays - 1) > 1e-9)
    or (facts.minutes > 0 and abs(totals.share_of_minutes - 1) > 1e-9)
