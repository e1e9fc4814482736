-- One row per Spotify track: the latest 200 answer of each requested id, parsed.
with source as (

    select * from {{ source('spotify', 'tracks') }}

),

answered as (

    {{ latest_answers('source') }}

),

renamed as (

    select
        cast(key as varchar) as track_id,
        body ->> '$.name' as track_name,
        body ->> '$.album.id' as album_id,
        body ->> '$.artists[0].id' as artist_id,
        body ->> '$.artists[0].name' as artist_name,
        coalesce(json_extract_string(body, '$.artists[*].id'), cast([] as varchar[])) as artist_ids,
        body ->> '$.external_ids.isrc' as isrc,
        try_cast(body ->> '$.duration_ms' as bigint) as duration_ms,
        try_cast(body ->> '$.popularity' as integer) as track_popularity,
        fetched_at
    from answered

)

select * from renamed
