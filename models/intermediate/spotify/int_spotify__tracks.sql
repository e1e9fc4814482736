{{ config(materialized='synced_table') }}
-- One row per Spotify track known without asking for it again: the track lookups (`GET /v1/tracks/{id}`,
-- stg_spotify__tracks), else the tracks accepted by a track search (full track objects), else the tracks of a
-- landed album's track list (simplified: no ISRC, no popularity; the album is the one listing it). `known_from`
-- says which. Every model that needs a track's artist, album or length reads this one. A rule read by dbt and
-- by the Spotify extractor alike (extractors/rules.py, docs/rules.md).
with lookups as (

    select * from {{ ref('stg_spotify__tracks') }}

),

searched as (

    select * from {{ ref('stg_spotify__track_searches') }}

),

matched as (

    select * from {{ ref('int_spotify__track_searches_matched') }}

),

album_tracks as (

    select * from {{ ref('stg_spotify__album_tracks') }}

),

candidates as (

    select
        track_id, track_name, album_id, artist_id, artist_name, artist_ids, isrc, duration_ms, track_popularity,
        fetched_at,
        'lookup' as known_from,
        1 as preference
    from lookups

    union all

    select
        searched.track_id, searched.track_name, searched.album_id, searched.artist_id, searched.artist_name,
        searched.artist_ids, searched.isrc, searched.duration_ms, searched.track_popularity, searched.fetched_at,
        'search' as known_from,
        2 as preference
    from searched
    semi join matched
        on matched.track_id = searched.track_id and matched.match_route in ('isrc_search', 'track_search')

    union all

    select
        track_id, track_name, album_id, artist_id, artist_name, artist_ids, null::varchar as isrc, duration_ms,
        null::integer as track_popularity, fetched_at,
        'album' as known_from,
        3 as preference
    from album_tracks

),

final as (

    select * exclude (preference)
    from candidates
    qualify row_number() over (partition by track_id order by preference, fetched_at desc) = 1

)

select * from final
