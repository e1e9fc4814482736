{{ config(
    pre_hook="{{ plays_changes(
        ref('fact_track_played'), ref('int_plays_resolved'),
        'user_id varchar, from_played_at timestamp, from_play_key varchar',
        artist_runs_recompute_sql(),
        'stored.user_id is not distinct from recompute.user_id and '
            ~ artist_runs_from('stored.first_played_at', 'stored.first_play_key')
    ) }}",
) }}
-- Runs of one artist: one row per run of a person's plays of one artist in a row, in time order (played_at,
-- then play_key), with its first and last play, length, minutes and local start and end (report_streaks keeps
-- the longest).
-- Incremental (macros/plays_incremental.sql): a build writes again, per person, the runs from the last one that
-- starts before the earliest changed play on (artist_runs_recompute_sql) and reads only the plays from there.
with fact_track_played as (

    select * from {{ ref('fact_track_played') }}

),

plays as (

    select
        play_key,
        user_id,
        artist_key,
        played_at,
        played_at_local,
        coalesce(minutes_played, 0) as minutes_played
    from fact_track_played
    where counts_as_play

),

-- on an incremental build, the plays of the runs written again: every play of a person from the first play of
-- the first of them
chosen as (

    {{ plays_chosen(
        'plays',
        'recompute.user_id is not distinct from plays.user_id and '
            ~ artist_runs_from('plays.played_at', 'plays.play_key')
    ) }}

),

-- plays of one artist in a row share (position among the person's plays - position among the artist's)
islands as (

    select
        *,
        row_number() over (partition by user_id order by played_at, play_key)
        - row_number() over (partition by user_id, artist_key order by played_at, play_key) as island
    from chosen

),

runs as (

    select
        user_id,
        artist_key,
        arg_min(played_at, (played_at, play_key)) as first_played_at,
        arg_min(play_key, (played_at, play_key)) as first_play_key,
        max(played_at) as last_played_at,
        arg_min(played_at_local, (played_at, play_key)) as started_at_local,
        arg_max(played_at_local, (played_at, play_key)) as ended_at_local,
        count(*) as plays,
        sum(minutes_played) as minutes
    from islands
    group by user_id, artist_key, island

),

final as (

    select
        user_id,
        artist_key,
        first_played_at,
        first_play_key,
        last_played_at,
        started_at_local,
        ended_at_local,
        cast(plays as bigint) as plays,
        cast(minutes as double) as minutes,
        {{ listens_build_time() }} as built_at
    from runs

)

select * from final
