-- One row per Spotify album: the latest 200 answer of each requested id, parsed.
with source as (

    select * from {{ source('spotify', 'albums') }}

),

answered as (

    {{ latest_answers('source') }}

),

renamed as (

    select
        cast(key as varchar) as album_id,
        body ->> '$.name' as album_name,
        body ->> '$.album_type' as album_type,
        body ->> '$.artists[0].id' as artist_id,
        body ->> '$.artists[0].name' as artist_name,
        body ->> '$.release_date' as release_date_raw,
        body ->> '$.release_date_precision' as release_date_precision,
        {{ spotify_release_date("body ->> '$.release_date'", "body ->> '$.release_date_precision'") }}
            as release_date,
        try_cast(body ->> '$.total_tracks' as integer) as total_tracks,
        body ->> '$.label' as label,
        body ->> '$.external_ids.upc' as upc,
        try_cast(body ->> '$.popularity' as integer) as album_popularity,
        fetched_at
    from answered

)

select * from renamed
