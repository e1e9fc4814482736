{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ listens_plays_changes(
        ref('int_listens__rows_combined_into_listens'), ref('int_plays_lookups'), ref('int_spotify__tracks')
    ) }}",
    post_hook=[
        "{{ listens_lookups_applied(ref('int_plays_lookups')) }}",
        "{{ listens_record_applied('int_listens__rows_combined_into_listens') }}",
    ],
) }}
{%- set unknown_length_ms = var('unknown_length_seconds') * 1000 %}
{%- set state = listens_incremental_mode('int_listens__rows_combined_into_listens') %}
-- One row per listen (int_listens__rows_combined_into_listens: the same listen reported by several sources is
-- one row), with the artist, album and track it is counted for, whether it counts as a play, the minutes listened, and
-- its local date and time.
-- The track (`track_match`): the history's track id, else (a listen with names only) the track its (artist,
-- title) pair was matched to (int_spotify__track_searches_matched: the history's own id for the pair, an ISRC
-- search, a track search).
-- The artist (`artist_match`): the history's artist_id, else the first artist of the Spotify track
-- (int_spotify__tracks), else (the original system's unmatched-artist recovery) the Spotify artist of its MBID
-- (mbz_artist_info), else the artist an exact-name artist search found (int_spotify__artist_searches_matched),
-- else the Spotify artist whose name equals the history's name, else the one whose name equals its first
-- credited artist (cut at feat./ft./&/,/x/and), names compared case- and accent-insensitively; else an artist
-- keyed by that cleaned name alone.
-- Incremental (docs/incremental.md): a build resolves again the listens int_listens__rows_combined_into_listens
-- rewrote, those whose lookup keys (int_plays_lookups) got another answer, and the listens before them whose
-- minutes may end at them (listens_plays_changes, its pre-hook, deleted them: listens_plays_recompute).
-- The lookup keys and estimated_start stay in the table for that.
-- depends_on: {{ ref('int_plays_lookups') }}
with listens as (

    select * from {{ ref('int_listens__rows_combined_into_listens') }}
    {%- if state.mode == 'changes' %}
    where listen_key in (select play_key from {{ listens_side_table('listens_plays_recompute') }})
    {%- endif %}

),

tracks as (

    select * from {{ ref('int_spotify__tracks') }}

),

track_matches as (

    select * from {{ ref('int_spotify__track_searches_matched') }}

),

artist_matches as (

    select * from {{ ref('int_spotify__artist_searches_matched') }}

),

spotify_artists as (

    select * from {{ ref('spotify_artists') }}

),

artist_info as (

    select * from {{ ref('mbz_artist_info') }}

),

mbz_artists as (

    select * from {{ ref('stg_musicbrainz__artists') }}

),

-- a Spotify artist per normalized name: the most popular one when names collide (macros/plays_lookups.sql)
spotify_names as (

    {{ spotify_artist_by_name('spotify_artists') }}

),

-- the current MBID of a requested one (merged MBIDs) and the Spotify artist MusicBrainz maps it to
mbid_artists as (

    {{ mbid_spotify_artists('mbz_artists', 'artist_info') }}

),

-- the search keys of a listen with names only (keyed only where a search could have matched it)
keyed as (

    select
        *,
        case
            when {{ is_name_only('track_id', 'artist_id', 'artist_mbid') }}
                then {{ track_search_key('artist', 'track_name') }}
        end as pair_key,
        case
            when {{ is_name_only('track_id', 'artist_id', 'artist_mbid') }}
                then {{ artist_search_key('artist') }}
        end as artist_search_key
    from listens

),

searched as (

    select
        listens.* exclude (track_id),  -- noqa: RF02
        coalesce(listens.track_id, track_matches.track_id) as track_id,
        case
            when listens.track_id is not null then 'history'
            when track_matches.track_id is not null then track_matches.match_route
        end as track_match,
        artist_matches.artist_id as searched_artist_id
    from keyed as listens
    left join track_matches
        on track_matches.pair_key = listens.pair_key
    left join artist_matches
        on artist_matches.artist_search_key = listens.artist_search_key

),

named as (

    select
        listens.*,
        {{ primary_artist_name('listens.artist') }} as artist_clean_name,
        {{ normalized_name('listens.artist') }} as artist_full_key,
        {{ normalized_name(primary_artist_name('listens.artist')) }} as artist_clean_key
    from searched as listens

),

resolved as (

    select
        named.*,
        tracks.artist_id as track_artist_id,
        tracks.album_id as track_album_id,
        tracks.duration_ms as track_duration_ms,
        coalesce(mbid_artists.artist_mbid, mbid_direct.artist_mbid, named.artist_mbid) as current_artist_mbid,
        coalesce(mbid_artists.spotify_artist_id, mbid_direct.spotify_artist_id) as mbid_spotify_artist_id,
        by_full_name.artist_id as full_name_artist_id,
        by_clean_name.artist_id as clean_name_artist_id
    from named
    left join tracks
        on tracks.track_id = named.track_id
    left join mbid_artists
        on mbid_artists.requested_mbid = named.artist_mbid
    left join artist_info as mbid_direct
        on mbid_direct.artist_mbid = named.artist_mbid
    left join spotify_names as by_full_name
        on by_full_name.name_key = named.artist_full_key
    left join spotify_names as by_clean_name
        on by_clean_name.name_key = named.artist_clean_key

),

matched as (

    select
        *,
        coalesce(
            artist_id, track_artist_id, mbid_spotify_artist_id, searched_artist_id, full_name_artist_id,
            clean_name_artist_id
        ) as resolved_artist_id,
        case
            when artist_id is not null then 'history'
            when track_artist_id is not null then 'spotify_track'
            when mbid_spotify_artist_id is not null then 'mbid'
            when searched_artist_id is not null then 'artist_search'
            when full_name_artist_id is not null or clean_name_artist_id is not null then 'name'
            else 'unmatched'
        end as artist_match,
        coalesce(album_id, track_album_id) as resolved_album_id,
        coalesce(track_duration_ms, duration_ms) as resolved_duration_ms
    from resolved

),

-- minutes listened: what a source measured, else an estimate that never exceeds the track's length nor
-- the time until the person's next listen (a listen of unknown length: at most unknown_length_seconds)
timed as (

    select
        *,
        coalesce(
            started_at, played_at - to_milliseconds(coalesce(resolved_duration_ms, 0))
        ) as estimated_start
    from matched

),

{% if state.mode == 'changes' %}
-- the listen after each: among these and the listens this build keeps (those beyond a listen's length do
-- not change its minutes)
kept as (

    select
        user_id,
        estimated_start,
        play_key as listen_key,
        false as recomputed
    from {{ this }}
    where estimated_start >= (select min(estimated_start) from timed)

),

sequence as (

    select
        user_id,
        estimated_start,
        listen_key,
        true as recomputed
    from timed
    union all
    select * from kept

),

next_listens as (

    select
        listen_key,
        lead(estimated_start) over (partition by user_id order by estimated_start, listen_key) as next_start,
        recomputed
    from sequence
    qualify recomputed

),

with_next as (

    select
        timed.*,
        next_listens.next_start
    from timed
    inner join next_listens
        on next_listens.listen_key = timed.listen_key

),
{% else %}
with_next as (

    select
        *,
        lead(estimated_start) over (partition by user_id order by estimated_start, listen_key) as next_start
    from timed

),
{% endif %}

measured as (

    select
        *,
        coalesce(
            ms_played,
            greatest(0, least(
                coalesce(resolved_duration_ms, {{ unknown_length_ms }}),
                coalesce(
                    datediff('millisecond', estimated_start, next_start),
                    resolved_duration_ms,
                    {{ unknown_length_ms }}
                )
            ))
        ) as listened_ms,
        ms_played is null or ms_played >= {{ var('min_play_seconds') * 1000 }} as counts_as_play,
        {{ local_time('played_at', 'conn_country') }} as played_at_local
    from with_next

),

final as (

    select
        listen_key as play_key,
        user_id,
        started_at,
        played_at,
        played_at_local,
        cast(strftime(played_at_local, '%Y%m%d') as integer) as date_key,
        cast(hour(played_at_local) * 60 + minute(played_at_local) as integer) as time_key,
        resolved_artist_id as artist_id,
        case when resolved_artist_id is null then artist_clean_key end as artist_name_key,
        coalesce(artist_clean_name, artist) as artist_name,
        current_artist_mbid as artist_mbid,
        artist_match,
        track_match,
        resolved_album_id as album_id,
        case
            when resolved_album_id is null and nullif(trim(album), '') is not null
                then artist_clean_key || chr(31) || {{ normalized_name('album') }}
        end as album_name_key,
        album as album_name,
        track_id,
        case
            when track_id is null then artist_clean_key || chr(31) || {{ normalized_name('track_name') }}
        end as track_name_key,
        track_name,
        track_isrc,
        resolved_duration_ms as duration_ms,
        ms_played,
        counts_as_play,
        cast(listened_ms / 60000.0 as double) as minutes_played,
        skipped,
        shuffle,
        offline,
        reason_start,
        reason_end,
        platform,
        conn_country,
        sources,
        reported_rows,
        -- what the incremental build looks a listen up by (int_plays_lookups) and orders listens by
        pair_key,
        artist_search_key,
        artist_mbid as history_artist_mbid,
        artist_full_key,
        artist_clean_key,
        estimated_start
    from measured

)

select
    *,
    {{ surrogate_key(['artist_id', 'artist_name_key']) }} as artist_key,
    case
        when album_id is not null or album_name_key is not null
            then {{ surrogate_key(['album_id', 'album_name_key']) }}
    end as album_key,
    {{ surrogate_key(['track_id', 'track_name_key']) }} as track_key,
    {{ listens_build_time() }} as built_at
from final
