-- One row per track search key x result: the latest 200 answer of each search (`GET /v1/search?type=track`),
-- parsed. The key is `isrc:<ISRC>` or `track:<artist key>|<title key>` (macros/rules/spotify_search.sql).
with source as (

    select * from {{ source('spotify', 'track_searches') }}

),

answered as (

    {{ latest_answers('source') }}

),

results as (

    select
        cast(key as varchar) as search_key,
        unnest(body -> '$.tracks.items[*]') as result,
        generate_subscripts(body -> '$.tracks.items[*]', 1) as result_position,
        fetched_at
    from answered

),

renamed as (

    select
        search_key,
        cast(result_position as integer) as result_position,
        result ->> '$.id' as track_id,
        result ->> '$.name' as track_name,
        result ->> '$.artists[0].id' as artist_id,
        result ->> '$.artists[0].name' as artist_name,
        coalesce(json_extract_string(result, '$.artists[*].id'), cast([] as varchar[])) as artist_ids,
        result ->> '$.album.id' as album_id,
        result ->> '$.external_ids.isrc' as isrc,
        try_cast(result ->> '$.duration_ms' as bigint) as duration_ms,
        try_cast(result ->> '$.popularity' as integer) as track_popularity,
        fetched_at
    from results
    where result ->> '$.id' is not null

)

select * from renamed
