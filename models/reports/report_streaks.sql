-- Issue 15, the longest streaks: the 10 longest runs of consecutive local days with at least one play
-- (kind 'days'), and the 10 longest runs of plays of one artist in a row, in time order, per person
-- (kind 'artist'), with when each run started and ended (local time), its plays and minutes. The days and
-- the artists' runs are int_listening_days' and int_artist_runs' (incremental).
with days as (

    select * from {{ ref('int_listening_days') }}

),

artist_runs as (

    select * from {{ ref('int_artist_runs') }}

),

dim_artist as (

    select * from {{ ref('dim_artist') }}

),

-- consecutive days share local_date - their position
day_islands as (

    select
        *,
        local_date - cast(row_number() over (order by local_date) as integer) as island
    from days

),

day_runs as (

    select
        'days' as kind,
        count(*) as length,
        min(first_played_at_local) as started_at_local,
        max(last_played_at_local) as ended_at_local,
        null::varchar as artist_key,
        sum(plays) as plays,
        sum(minutes) as minutes
    from day_islands
    group by island

),

-- the 10 longest of each kind (a top-10, not a sort of the millions of runs of one artist)
longest_day_runs as (

    select * from day_runs
    order by length desc, started_at_local, artist_key
    limit 10

),

longest_artist_runs as (

    select
        'artist' as kind,
        plays as length,
        started_at_local,
        ended_at_local,
        artist_key,
        plays,
        minutes
    from artist_runs
    order by length desc, started_at_local, artist_key
    limit 10

),

runs as (

    select * from longest_day_runs
    union all
    select * from longest_artist_runs

),

ranked as (

    select
        *,
        row_number() over (partition by kind order by length desc, started_at_local, artist_key) as run_rank
    from runs

),

final as (

    select
        ranked.kind,
        cast(ranked.run_rank as integer) as rank,
        cast(ranked.length as bigint) as length,
        ranked.started_at_local,
        ranked.ended_at_local,
        dim_artist.artist_name,
        cast(ranked.plays as bigint) as plays,
        cast(ranked.minutes as double) as minutes
    from ranked
    left join dim_artist
        on dim_artist.artist_key = ranked.artist_key

)

select * from final
