{{ config(materialized='synced_table') }}
-- One row per artist credited by the searched pairs of int_spotify__track_searches_matched (key
-- `artist:<artist key>`): whether the Spotify extractor searches the artist by name (`needs_search`: none of its
-- pairs matched a track, every one of them was searched, and no Spotify track or artist already known bears the
-- name), and the Spotify artist that search found (`artist_id`: the first result, in Spotify's order, whose name
-- equals the artist's, compared by match_key; null: not found, or not searched). A rule read by dbt and by the
-- Spotify extractor alike (extractors/rules.py, docs/rules.md).
with pairs as (

    select * from {{ ref('int_spotify__track_searches_matched') }}

),

search_keys as (

    select * from {{ ref('int_spotify__track_search_keys') }}

),

results as (

    select * from {{ ref('stg_spotify__artist_searches') }}

),

spotify_artists as (

    select * from {{ ref('stg_spotify__artists') }}

),

tracks as (

    select * from {{ ref('int_spotify__tracks') }}

),

artists as (

    select
        pairs.artist_search_key,
        cast(sum(pairs.play_count) as bigint) as play_count,
        count(pairs.track_id) as matched_pairs,
        count(*) filter (where pairs.track_id is null and not pairs.pair_searched) as unsearched_pairs
    from pairs
    group by pairs.artist_search_key

),

-- the artist as the history credits it most often (ties: the smallest)
spellings as (

    select
        artist_search_key,
        {{ credited_artist('artist_name') }} as artist_name,
        artist_key
    from search_keys
    group by artist_search_key, {{ credited_artist('artist_name') }}, artist_key
    qualify row_number() over (
            partition by artist_search_key order by sum(play_count) desc, {{ credited_artist('artist_name') }}
        ) = 1

),

known_names as (

    select distinct {{ artist_search_key('artist_name') }} as artist_search_key
    from spotify_artists
    where artist_name is not null

    union

    select distinct {{ artist_search_key('artist_name') }} as artist_search_key
    from tracks
    where artist_name is not null

),

accepted as (

    select
        search_key,
        artist_id
    from results
    where {{ match_key('artist_name') }} = substr(search_key, 8)
    qualify row_number() over (partition by search_key order by result_position) = 1

),

final as (

    select
        artists.artist_search_key,
        spellings.artist_name,
        spellings.artist_key,
        artists.play_count,
        artists.matched_pairs,
        artists.unsearched_pairs,
        artists.matched_pairs = 0
        and artists.unsearched_pairs = 0
        and known_names.artist_search_key is null as needs_search,
        'artist:"' || replace(spellings.artist_name, '"', '') || '"' as artist_query,
        accepted.artist_id
    from artists
    inner join spellings
        on spellings.artist_search_key = artists.artist_search_key
    left join known_names
        on known_names.artist_search_key = artists.artist_search_key
    left join accepted
        on accepted.search_key = artists.artist_search_key

)

select * from final
