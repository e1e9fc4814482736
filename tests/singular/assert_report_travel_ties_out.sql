-- report_travel ties out against fact_track_played: its plays and minutes add up to the fact's plays and
-- minutes, and exactly one known country is home when any listen names its country, none otherwise (no row
-- returned = pass).
-- Minutes agree to a relative 1e-9 (a sum in another order differs in its last bits).
with report as (

    select * from {{ ref('report_travel') }}

),

facts as (

    select
        count(*) as plays,
        coalesce(sum(minutes_played), 0) as minutes,
        count(*) filter (where conn_country is not null) as known_plays
    from {{ ref('fact_track_played') }}
    where counts_as_play

),

totals as (

    select
        coalesce(sum(plays), 0) as plays,
        coalesce(sum(minutes), 0) as minutes,
        count(*) filter (where is_home) as homes,
        count(*) filter (where is_home and conn_country is null) as unknown_homes,
        coalesce(max(plays) filter (where conn_country is not null), 0) as most_known_plays,
        coalesce(max(plays) filter (where is_home), 0) as home_plays
    from report

)

select
    facts.plays as fact_plays,
    totals.plays as report_plays,
    totals.homes
from facts
cross join totals
where facts.plays <> totals.plays
    or {{ sums_differ('facts.minutes', 'totals.minutes') }}
    or totals.homes <> (case when facts.known_plays > 0 then 1 else 0 end)
    or totals.unknown_homes > 0
    or totals.home_plays <> totals.most_known_plays
