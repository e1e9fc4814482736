{{ config(materialized='synced_table') }}
-- One row per searched pair of int_spotify__track_search_keys: the Spotify track its listens are counted for,
-- and how it was found (`match_route`): `history_name` (the history plays the same pair with a track id),
-- `isrc_search` or `track_search` (the first result, in Spotify's order, whose cleaned title and first artist
-- equal the pair's; a result titled exactly as the listen goes before a remaster of it); null: not found (yet).
-- A rule read by dbt and by the Spotify extractor alike (extractors/rules.py, docs/rules.md).
with search_keys as (

    select * from {{ ref('int_spotify__track_search_keys') }}

),

results as (

    select * from {{ ref('stg_spotify__track_searches') }}

),

accepted as (

    select
        search_keys.pair_key,
        case when results.search_key = search_keys.isrc_key then 'isrc_search' else 'track_search' end
            as match_route,
        results.track_id,
        results.artist_id,
        results.album_id,
        results.isrc,
        results.duration_ms
    from search_keys
    inner join results
        on results.search_key in (search_keys.isrc_key, search_keys.pair_key)
    where {{ track_search_accepts(
            'results.track_name', 'results.artist_name',
            'search_keys.title_key', 'search_keys.artist_key', 'search_keys.first_artist_key'
        ) }}
        and (results.search_key = search_keys.pair_key or upper(results.isrc) = substr(search_keys.isrc_key, 6))
    qualify row_number() over (
            partition by search_keys.pair_key
            order by
                results.search_key = search_keys.isrc_key desc,
                {{ match_key('results.track_name') }} = {{ match_key('search_keys.track_name') }} desc,
                results.result_position
        ) = 1

),

final as (

    select
        search_keys.pair_key,
        search_keys.artist_search_key,
        search_keys.play_count,
        coalesce(search_keys.history_track_id, accepted.track_id) as track_id,
        accepted.artist_id,
        accepted.album_id,
        case
            when search_keys.history_track_id is not null then 'history_name'
            else accepted.match_route
        end as match_route,
        search_keys.pair_status is not null as pair_searched
    from search_keys
    left join accepted
        on accepted.pair_key = search_keys.pair_key

)

select * from final
