{{ config(materialized='synced_table') }}
-- One row per (credited artist, cleaned title) pair of the listens that carry neither a Spotify id nor an artist
-- MBID (Account data, Last.fm, ListenBrainz; a listen with an artist id or MBID reaches its artist without a
-- search): how the Spotify extractor searches it and what is landed of it (docs/name-matching.md). A pair the
-- history also plays with a track id (the Extended history's rows name the same track) takes that id and is not
-- searched (`history_track_id`). Else its most-played ISRC is searched first (`isrc_key`, q `isrc:<ISRC>`), and
-- the pair itself (`pair_key`, q `track:"…" artist:"…"`) when there is no ISRC or its search found nothing. A
-- rule read by dbt and by the Spotify extractor alike (extractors/rules.py, docs/rules.md).
with plays as (

    select * from {{ ref('int_history__references') }}

),

searches as (

    select * from {{ source('spotify', 'track_searches') }}

),

-- the history's distinct (ids, names, ISRC) combinations: the names are keyed once each, not once a play
distinct_rows as (

    select
        {{ spotify_track_id('track_id', 'track_uri') }} as play_track_id,
        {{ is_name_only(spotify_track_id('track_id', 'track_uri'), 'artist_id', 'artist_mbid') }} as name_only,
        artist,
        track_name,
        track_isrc,
        sum(plays) as plays
    from plays
    group by all

),

-- the search key of each distinct (artist, title) spelling, the costly part: once a spelling, not once each
-- combination it is in (with and without ids, with other ISRCs: 170k spellings in 370k combinations at 1M
-- listens, a fifth of this model's work)
spellings_keyed as (

    select
        artist,
        track_name,
        {{ track_search_key('artist', 'track_name') }} as pair_key
    from distinct_rows
    group by artist, track_name

),

-- materialized: history_ids, pairs, isrcs and spellings all read it (inlined, DuckDB computed the keys once per
-- reader: 4x the time at 1M listens)
named as materialized (

    select
        distinct_rows.play_track_id,
        distinct_rows.name_only,
        distinct_rows.artist,
        distinct_rows.track_name,
        distinct_rows.plays,
        spellings_keyed.pair_key,
        {{ isrc_search_key('distinct_rows.track_isrc') }} as isrc_key
    from distinct_rows
    inner join spellings_keyed
        on
        spellings_keyed.artist is not distinct from distinct_rows.artist
        and spellings_keyed.track_name is not distinct from distinct_rows.track_name

),

-- the track id the history itself gives a pair (its most-played one)
history_ids as (

    select
        pair_key,
        play_track_id as history_track_id
    from named
    where play_track_id is not null and pair_key is not null
    group by pair_key, play_track_id
    qualify row_number() over (partition by pair_key order by sum(plays) desc, play_track_id) = 1

),

name_only as (

    select *
    from named
    where name_only and pair_key is not null

),

pairs as (

    select
        pair_key,
        cast(sum(plays) as bigint) as play_count
    from name_only
    group by pair_key

),

-- the pair's most-played well-formed ISRC (ties: the smallest)
isrcs as (

    select
        pair_key,
        isrc_key
    from name_only
    where isrc_key is not null
    group by pair_key, isrc_key
    qualify row_number() over (partition by pair_key order by sum(plays) desc, isrc_key) = 1

),

-- the pair as the history spells it most often (ties: the smallest)
spellings as (

    select
        pair_key,
        artist as artist_name,
        track_name
    from name_only
    group by pair_key, artist, track_name
    qualify row_number() over (partition by pair_key order by sum(plays) desc, artist, track_name) = 1

),

-- the latest landed status of each search key (200: a result was accepted; 404: none was)
statuses as (

    select
        key as search_key,
        status
    from searches
    qualify row_number() over (partition by key order by fetched_at desc) = 1

),

final as (

    select
        pairs.pair_key,
        isrcs.isrc_key,
        spellings.artist_name,
        spellings.track_name,
        {{ match_key(credited_artist('spellings.artist_name')) }} as artist_key,
        {{ match_key(primary_artist_name('spellings.artist_name')) }} as first_artist_key,
        {{ match_key(cleaned_title('spellings.track_name')) }} as title_key,
        {{ artist_search_key('spellings.artist_name') }} as artist_search_key,
        pairs.play_count,
        history_ids.history_track_id,
        'isrc:' || substr(isrcs.isrc_key, 6) as isrc_query,
        'track:"' || replace({{ cleaned_title('spellings.track_name') }}, '"', '')
        || '" artist:"' || replace({{ credited_artist('spellings.artist_name') }}, '"', '') || '"' as pair_query,
        isrc_status.status as isrc_status,
        pair_status.status as pair_status
    from pairs
    inner join spellings
        on spellings.pair_key = pairs.pair_key
    left join isrcs
        on isrcs.pair_key = pairs.pair_key
    left join history_ids
        on history_ids.pair_key = pairs.pair_key
    left join statuses as isrc_status
        on isrc_status.search_key = isrcs.isrc_key
    left join statuses as pair_status
        on pair_status.search_key = pairs.pair_key

)

select * from final
