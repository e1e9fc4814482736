-- Issue 15, listening sessions: one row per session, a run of one person's plays where each play starts less
-- than var('report_session_gap_minutes') minutes after the previous play ended (a gap of that long or longer
-- starts a new session), with its local start and end, its length, plays, minutes and artists, and its rank
-- by length (1 = longest). The sessions are int_listening_sessions' (incremental); here they are numbered in
-- time order, ranked, and their top artist named.
with sessions as (

    select * from {{ ref('int_listening_sessions') }}

),

dim_artist as (

    select * from {{ ref('dim_artist') }}

),

with_ids as (

    select
        sessions.*,
        dim_artist.artist_name as top_artist_name,
        row_number() over (order by sessions.started_at, sessions.user_id) as session_id,
        epoch(sessions.ended_at_local - sessions.started_at_local) / 60.0 as duration_minutes
    from sessions
    left join dim_artist
        on dim_artist.artist_key = sessions.top_artist_key

),

final as (

    select
        cast(session_id as bigint) as session_id,
        started_at_local,
        ended_at_local,
        cast(duration_minutes as double) as duration_minutes,
        plays,
        minutes,
        artists,
        top_artist_name,
        cast(row_number() over (order by duration_minutes desc, session_id) as integer) as length_rank
    from with_ids

)

select * from final
