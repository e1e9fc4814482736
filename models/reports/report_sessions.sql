-- Issue 15, listening sessions: one row per session, a run of one person's plays where each play starts less
-- than var('report_session_gap_minutes') minutes after the previous play ended (a gap of that long or longer
-- starts a new session), with its local start and end, its length, plays, minutes and artists, and its rank
-- by length (1 = longest).
with fact_track_played as (

    select * from {{ ref('fact_track_played') }}

),

dim_artist as (

    select * from {{ ref('dim_artist') }}

),

-- a play spans its start to its start + the minutes listened: the start is started_at, else (a polled play, which
-- knows only its end) minutes_played before played_at; a scrobble's played_at is its start, so its end is later
spans as (

    select
        play_key,
        user_id,
        artist_key,
        played_at as reported_at,
        played_at_local as reported_at_local,
        coalesce(minutes_played, 0) as minutes_played,
        coalesce(
            started_at, played_at - to_milliseconds(cast(round(coalesce(minutes_played, 0) * 60000) as bigint))
        ) as started_at
    from fact_track_played
    where counts_as_play

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
    from spans

),

-- a play opens a session when it is the person's first or starts the gap or later after the previous plays'
-- end (the latest end so far: a play that overlaps a long one does not shorten the session)
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
        arg_min(started_at_local, started_at) as started_at_local,
        arg_max(started_at_local + (played_at - started_at), played_at) as ended_at_local,
        count(*) as plays,
        sum(minutes_played) as minutes,
        count(distinct artist_key) as artists
    from numbered
    group by user_id, user_session

),

session_artists as (

    select
        numbered.user_id,
        numbered.user_session,
        dim_artist.artist_name
    from numbered
    left join dim_artist
        on dim_artist.artist_key = numbered.artist_key
    group by numbered.user_id, numbered.user_session, numbered.artist_key, dim_artist.artist_name
    qualify row_number() over (
            partition by numbered.user_id, numbered.user_session
            order by count(*) desc, sum(numbered.minutes_played) desc, dim_artist.artist_name, numbered.artist_key
        ) = 1

),

with_ids as (

    select
        sessions.*,
        session_artists.artist_name as top_artist_name,
        row_number() over (
            order by sessions.started_at, sessions.user_id, sessions.user_session
        ) as session_id,
        epoch(sessions.ended_at_local - sessions.started_at_local) / 60.0 as duration_minutes
    from sessions
    left join session_artists
        on session_artists.user_id is not distinct from sessions.user_id
        and session_artists.user_session = sessions.user_session

),

final as (

    select
        cast(session_id as bigint) as session_id,
        started_at_local,
        ended_at_local,
        cast(duration_minutes as double) as duration_minutes,
        cast(plays as bigint) as plays,
        cast(minutes as double) as minutes,
        cast(artists as bigint) as artists,
        top_artist_name,
        cast(row_number() over (order by duration_minutes desc, session_id) as integer) as length_rank
    from with_ids

)

select * from final
