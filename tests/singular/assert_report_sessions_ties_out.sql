-- report_sessions ties out against fact_track_played: the sessions' plays and minutes add up to the fact
-- table's, session_id runs 1..n, and no session ends before it starts (no row returned = pass).
with sessions as (

    select * from {{ ref('report_sessions') }}

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
        count(*) as sessions,
        coalesce(sum(plays), 0) as plays,
        coalesce(sum(minutes), 0) as minutes,
        coalesce(max(session_id), 0) as last_session_id,
        count(*) filter (where plays < 1 or artists < 1) as empty_sessions
    from sessions

)

select
    facts.plays as fact_plays,
    totals.plays as session_plays,
    totals.sessions,
    totals.last_session_id
from facts
cross join totals
where facts.plays <> totals.plays
    or {{ sums_differ('facts.minutes', 'totals.minutes') }}
    or totals.sessions <> totals.last_session_id
    or totals.empty_sessions > 0
