-- One row per Spotify artist: the latest 200 answer of each requested id, parsed.
with source as (

    select * from {{ source('spotify', 'artists') }}

),

answered as (

    {{ latest_answers('source') }}

),

renamed as (

    select
        cast(key as varchar) as artist_id,
        body ->> '$.name' as artist_name,
        try_cast(body ->> '$.popularity' as integer) as artist_popularity,
        try_cast(body ->> '$.followers.total' as bigint) as followers,
        coalesce(try_cast(body -> '$.genres' as varchar[]), cast([] as varchar[])) as genres,
        body ->> '$.uri' as artist_uri,
        fetched_at
    from answered

)

select * from renamed
