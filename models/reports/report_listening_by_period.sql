-- Issue 15, listening over time: the plays and minutes of every ISO week (from Monday) and every month of local
-- time, from the first play to the last (0 where nothing was played), and the artists first played in it.
with fact_track_played as (

    select * from {{ ref('fact_track_played') }}

),

plays as (

    select
        artist_key,
        played_at_local,
        coalesce(minutes_played, 0) as minutes_played
    from fact_track_played
    where counts_as_play

),

bounds as (

    select
        min(played_at_local) as first_played_at_local,
        max(played_at_local) as last_played_at_local
    from plays

),

calendar as (

    select
        'week' as grain,
        cast(unnest(generate_series(
            date_trunc('week', first_played_at_local),
            date_trunc('week', last_played_at_local),
            interval 7 day
        )) as date) as period_start
    from bounds
    where first_played_at_local is not null
    union all
    select
        'month' as grain,
        cast(unnest(generate_series(
            date_trunc('month', first_played_at_local),
            date_trunc('month', last_played_at_local),
            interval 1 month
        )) as date) as period_start
    from bounds
    where first_played_at_local is not null

),

-- each play in its week and in its month
play_periods as (

    select
        'week' as grain,
        cast(date_trunc('week', played_at_local) as date) as period_start,
        artist_key,
        minutes_played
    from plays
    union all
    select
        'month' as grain,
        cast(date_trunc('month', played_at_local) as date) as period_start,
        artist_key,
        minutes_played
    from plays

),

counted as (

    select
        grain,
        period_start,
        count(*) as plays,
        sum(minutes_played) as minutes
    from play_periods
    group by grain, period_start

),

-- the period of each artist's first play ever
first_plays as (

    select
        grain,
        artist_key,
        min(period_start) as period_start
    from play_periods
    group by grain, artist_key

),

new_artists as (

    select
        grain,
        period_start,
        count(*) as new_artists
    from first_plays
    group by grain, period_start

),

final as (

    select
        calendar.grain,
        calendar.period_start,
        cast(coalesce(counted.plays, 0) as bigint) as plays,
        cast(coalesce(counted.minutes, 0) as double) as minutes,
        cast(coalesce(new_artists.new_artists, 0) as bigint) as new_artists
    from calendar
    left join counted
        on counted.grain = calendar.grain and counted.period_start = calendar.period_start
    left join new_artists
        on new_artists.grain = calendar.grain and new_artists.period_start = calendar.period_start

)

select * from final
