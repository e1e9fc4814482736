-- Issue 15, the longest streaks: the 10 longest runs of consecutive local days with at least one play
-- (kind 'days'), and the 10 longest runs of plays of one artist in a row, in time order, per person
-- (kind 'artist'), with when each run started and ended (local time), its plays and minutes.
with fact_track_played as (

    select * from {{ ref('fact_track_played') }}

),

dim_artist as (

    select * from {{ ref('dim_artist') }}

),

plays as (

    select
        play_key,
        user_id,
        artist_key,
        played_at,
        played_at_local,
        cast(played_at_local as date) as local_date,
        coalesce(minutes_played, 0) as minutes_played
    from fact_track_played
    where counts_as_play

),

days as (

    select
        local_date,
        count(*) as plays,
        sum(minutes_played) as minutes,
        min(played_at_local) as first_played_at_local,
        max(played_at_local) as last_played_at_local
    from plays
    group by local_date

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

-- plays of one artist in a row share (position among the person's plays - position among the artist's)
artist_islands as (

    select
        *,
        row_number() over (partition by user_id order by played_at, play_key)
        - row_number() over (partition by user_id, artist_key order by played_at, play_key) as island
    from plays

),

artist_runs as (

    select
        'artist' as kind,
        count(*) as length,
        arg_min(played_at_local, played_at) as started_at_local,
        arg_max(played_at_local, played_at) as ended_at_local,
        artist_key,
        count(*) as plays,
        sum(minutes_played) as minutes
    from artist_islands
    group by user_id, artist_key, island

),

runs as (

    select * from day_runs
    union all
    select * from artist_runs

),

ranked as (

    select
        *,
        row_number() over (partition by kind order by length desc, started_at_local, artist_key) as run_rank
    from runs
    qualify run_rank <= 10

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
