-- report_streaks ties out against fact_track_played: a 'days' run's plays and minutes are those of the fact
-- table's plays between its first and last play, a run of n days spans n local dates, an 'artist' run's length
-- is its plays (no row returned = pass).
with streaks as (

    select * from {{ ref('report_streaks') }}

),

plays as (

    select
        played_at_local,
        minutes_played
    from {{ ref('fact_track_played') }}
    where counts_as_play

),

day_runs as (

    select * from streaks
    where kind = 'days'

),

recounted as (

    select
        day_runs.rank,
        count(plays.played_at_local) as plays,
        coalesce(sum(plays.minutes_played), 0) as minutes
    from day_runs
    left join plays
        on plays.played_at_local between day_runs.started_at_local and day_runs.ended_at_local
    group by day_runs.rank

),

wrong_days as (

    select
        day_runs.kind,
        day_runs.rank
    from day_runs
    inner join recounted
        on recounted.rank = day_runs.rank
    where recounted.plays <> day_runs.plays
        or {{ sums_differ('recounted.minutes', 'day_runs.minutes') }}
        or date_diff('day', cast(day_runs.started_at_local as date), cast(day_runs.ended_at_local as date)) + 1
        <> day_runs.length

),

wrong_artist_runs as (

    select
        kind,
        rank
    from streaks
    where kind = 'artist' and length <> plays

)

select * from wrong_days
union all
select * from wrong_artist_runs
