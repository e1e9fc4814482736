-- One row per track of a landed album's track list: the first 50 that `GET /v1/albums/{id}` embeds
-- (`tracks.items`), and the further pages of `GET /v1/albums/{id}/tracks` (key `<album id>:<offset>`).
-- Simplified track objects: no ISRC, no popularity; the album is the one listed.
with albums as (

    select * from {{ source('spotify', 'albums') }}

),

pages as (

    select * from {{ source('spotify', 'album_tracks') }}

),

answered_albums as (

    {{ latest_answers('albums') }}

),

answered_pages as (

    {{ latest_answers('pages') }}

),

listed as (

    select
        cast(key as varchar) as album_id,
        unnest(body -> '$.tracks.items[*]') as item,
        coalesce(try_cast(body ->> '$.tracks.offset' as integer), 0)
        + generate_subscripts(body -> '$.tracks.items[*]', 1) as list_position,
        fetched_at
    from answered_albums

    union all

    select
        split_part(cast(key as varchar), ':', 1) as album_id,
        unnest(body -> '$.items[*]') as item,
        coalesce(try_cast(body ->> '$.offset' as integer), 0)
        + generate_subscripts(body -> '$.items[*]', 1) as list_position,
        fetched_at
    from answered_pages

),

renamed as (

    select
        album_id,
        cast(list_position as integer) as list_position,
        item ->> '$.id' as track_id,
        item ->> '$.name' as track_name,
        item ->> '$.artists[0].id' as artist_id,
        item ->> '$.artists[0].name' as artist_name,
        coalesce(json_extract_string(item, '$.artists[*].id'), cast([] as varchar[])) as artist_ids,
        try_cast(item ->> '$.duration_ms' as bigint) as duration_ms,
        fetched_at
    from listed
    where item ->> '$.id' is not null
    qualify row_number() over (partition by album_id, item ->> '$.id' order by fetched_at desc) = 1

)

select * from renamed
