-- One row per artist search key x result: the latest 200 answer of each search (`GET /v1/search?type=artist`),
-- parsed. The key is `artist:<artist key>` (macros/rules/spotify_search.sql).
with source as (

    select * from {{ source('spotify', 'artist_searches') }}

),

answered as (

    {{ latest_answers('source') }}

),

results as (

    select
        cast(key as varchar) as search_key,
        unnest(body -> '$.artists.items[*]') as result,
        generate_subscripts(body -> '$.artists.items[*]', 1) as result_position,
        fetched_at
    from answered

),

renamed as (

    select
        search_key,
        cast(result_position as integer) as result_position,
        result ->> '$.id' as artist_id,
        result ->> '$.name' as artist_name,
        fetched_at
    from results
    where result ->> '$.id' is not null

)

select * from renamed
