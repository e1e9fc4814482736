{{ config(
    meta={'fingerprint': var('report_session_gap_minutes', 30)},
    pre_hook="{{ plays_changes(
        ref('fact_track_played'), ref('int_plays_resolved'),
        'user_id varchar, recompute_from timestamp',
        sessions_recompute_sql(),
        'stored.user_id is not distinct from recompute.user_id and stored.started_at >= recompute.recompute_from'
    ) }}",
) }}
-- Listening sessions, one row per session (report_sessions numbers and ranks them): a run of one person's plays
-- where each play starts less than var('report_session_gap_minutes') minutes after the previous plays' latest
-- end (a gap of that long or longer starts a new session), with its start and end (UTC and local), plays,
-- minutes, artists and the artist it played most.
-- Incremental (macros/plays_incremental.sql): a build writes again, per person, the sessions from the first one
-- a changed play can touch on (sessions_recompute_sql: the first that ends less than the gap before the earliest
-- change, where the changed play is now or was) and reads only the plays from there; earlier sessions stand.
with fact_track_played as (

    select * from {{ ref('fact_track_played') }}

),

-- a play spans its start (play_span_start) to its start + the minutes listened, and at least to played_at (a
-- scrobble's played_at is its start)
spans as (

    select
        play_key,
        user_id,
        artist_key,
        played_at as reported_at,
        played_at_local as reported_at_local,
        coalesce(minutes_played, 0) as minutes_played,
        {{ play_span_start() }} as started_at
    from fact_track_played
    where counts_as_play

),

-- on an incremental build, the plays of the sessions written again: every play of a person from where the
-- first of them starts
chosen as (

    {{ plays_chosen(
        'spans',
        'recompute.user_id is not distinct from spans.user_id and spans.started_at >= recompute.recompute_from'
    ) }}

),

plays as (

    select
        play_key,
        user_id,
        artist_key,
        minutes_played,
        started_at,
        greatest(reported_at, started_at + to_milliseconds(cast(round(minutes_played * 60000) as bigint)))
            as played_at,
        reported_at_local - (reported_at - started_at) as started_at_local
    from chosen

),

-- a play opens a session when it is the person's first (of those read) or starts the gap or later after the
-- previous plays' end (the latest end so far: a play that overlaps a long one does not shorten the session)
gaps as (

    select
        *,
        coalesce(
            started_at - max(played_at) over (
                partition by user_id order by started_at, played_at, play_key
                rows between unbounded preceding and 1 preceding
            ) >= interval ({{ var('report_session_gap_minutes', 30) }}) minute,
            true
        ) as opens_session
    from plays

),

numbered as (

    select
        *,
        sum(cast(opens_session as integer)) over (
            partition by user_id order by started_at, played_at, play_key rows unbounded preceding
        ) as user_session
    from gaps

),

sessions as (

    select
        user_id,
        user_session,
        min(started_at) as started_at,
        max(played_at) as ended_at,
        arg_min(started_at_local, started_at) as started_at_local,
        arg_max(started_at_local + (played_at - started_at), played_at) as ended_at_local,
        count(*) as plays,
        sum(minutes_played) as minutes,
        count(distinct artist_key) as artists
    from numbered
    group by user_id, user_session

),

-- the artist with the most plays, then minutes; a tie goes to the smaller artist_key (not the name: the names
-- are dim_artist's, which a build may rename without touching the plays)
session_artists as (

    select
        user_id,
        user_session,
        artist_key
    from numbered
    group by user_id, user_session, artist_key
    qualify row_number() over (
            partition by user_id, user_session
            order by count(*) desc, sum(minutes_played) desc, artist_key
        ) = 1

),

final as (

    select
        sessions.user_id,
        sessions.started_at,
        sessions.ended_at,
        sessions.started_at_local,
        sessions.ended_at_local,
        cast(sessions.plays as bigint) as plays,
        cast(sessions.minutes as double) as minutes,
        cast(sessions.artists as bigint) as artists,
        session_artists.artist_key as top_artist_key,
        {{ listens_build_time() }} as built_at
    from sessions
    left join session_artists
        on session_artists.user_id is not distinct from sessions.user_id
        and session_artists.user_session = sessions.user_session

)

select * from final
