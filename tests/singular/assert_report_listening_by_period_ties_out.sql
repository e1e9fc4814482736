-- report_listening_by_period ties out against fact_track_played: per grain, every week or month from the first
-- play to the last is there, the plays and minutes add up to the fact table's, and the new artists add up to
-- the distinct artists played (no row returned = pass).
with by_period as (

    select * from {{ ref('report_listening_by_period') }}

),

facts as (

    select
        count(*) as plays,
        coalesce(sum(minutes_played), 0) as minutes,
        count(distinct artist_key) as artists,
        -- weeks and months from the first play's to the last play's
        date_diff(
            'week', date_trunc('week', min(played_at_local)), date_trunc('week', max(played_at_local))
        ) + 1 as weeks,
        date_diff(
            'month', date_trunc('month', min(played_at_local)), date_trunc('month', max(played_at_local))
        ) + 1 as months
    from {{ ref('fact_track_played') }}
    where counts_as_play

),

grains as (

    select
        grain,
        count(*) as periods,
        coalesce(sum(plays), 0) as plays,
        coalesce(sum(minutes), 0) as minutes,
        coalesce(sum(new_artists), 0) as new_artists
    from by_period
    group by grain

),

expected as (

    select
        'week' as grain,
        weeks as periods
    from facts
    where plays > 0
    union all
    select
        'month' as grain,
        months as periods
    from facts
    where plays > 0

)

select
    expected.grain,
    grains.periods,
    grains.plays,
    facts.plays as fact_plays
from expected
cross join facts
left join grains
    on grains.grain = expected.grain
where grains.periods is distinct from expected.periods
    or grains.plays <> facts.plays
    or {{ sums_differ('grains.minutes', 'facts.minutes') }}
    or grains.new_artists <> facts.artists
