-- One row per Spotify artist id x artist search result: the latest 200 search answer of each id, parsed.
-- `batched`: the answer is this key's share of a batched search (`"batched": true`: the results of exactly
-- its name, scored relative to the whole OR query; macros/rules/name_search.sql).
with source as (

    select * from {{ source('musicbrainz', 'artist_search') }}

),

answered as (

    {{ latest_answers('source') }}

),

results as (

    select
        cast(key as varchar) as spotify_artist_id,
        unnest(body -> '$.artists[*]') as result,
        generate_subscripts(body -> '$.artists[*]', 1) as result_position,
        coalesce(try_cast(body ->> '$.batched' as boolean), false) as batched,
        fetched_at
    from answered

),

renamed as (

    select
        spotify_artist_id,
        cast(result_position as integer) as result_position,
        result ->> '$.id' as artist_mbid,
        result ->> '$.name' as name,
        result ->> '$."sort-name"' as sort_name,
        try_cast(result ->> '$.score' as integer) as score,
        batched,
        fetched_at
    from results
    where result ->> '$.id' is not null

)

select * from renamed
