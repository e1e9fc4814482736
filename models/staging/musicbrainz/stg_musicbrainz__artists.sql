-- One row per requested artist MBID: the latest 200 answer of each key, parsed from either answer shape
-- (search result item or lookup). The body's id is the artist's current MBID (merged ids answer the new one).
with source as (

    select * from {{ source('musicbrainz', 'artists') }}

),

answered as (

    {{ latest_answers('source') }}

),

renamed as (

    select
        cast(key as varchar) as requested_mbid,
        coalesce(body ->> '$.id', cast(key as varchar)) as artist_mbid,
        body ->> '$.name' as name,
        body ->> '$."sort-name"' as sort_name,
        body ->> '$.type' as type,
        body ->> '$.gender' as gender,
        nullif(trim(body ->> '$.country'), '') as country,
        nullif(trim(body ->> '$.disambiguation'), '') as disambiguation,
        body ->> '$.area.id' as area_id,
        body ->> '$.area.name' as area_name,
        -- the lookup also sends the legacy duplicates begin_area / end_area
        coalesce(body ->> '$."begin-area".id', body ->> '$.begin_area.id') as begin_area_id,
        coalesce(body ->> '$."begin-area".name', body ->> '$.begin_area.name') as begin_area_name,
        coalesce(body ->> '$."end-area".id', body ->> '$.end_area.id') as end_area_id,
        coalesce(body ->> '$."end-area".name', body ->> '$.end_area.name') as end_area_name,
        body ->> '$."life-span".begin' as life_span_begin,
        body ->> '$."life-span".end' as life_span_end,
        -- a search item omits `ended` (or sends null) for a living artist
        coalesce(
            try_cast(body ->> '$."life-span".ended' as boolean),
            body ->> '$."life-span".end' is not null
        ) as life_span_ended,
        coalesce(
            from_json(body -> '$.genres', '[{"name": "VARCHAR", "count": "INTEGER"}]'),
            cast([] as struct(name varchar, count integer)[])
        ) as genres,
        coalesce(
            from_json(body -> '$.tags', '[{"name": "VARCHAR", "count": "INTEGER"}]'),
            cast([] as struct(name varchar, count integer)[])
        ) as tags,
        coalesce(
            list_transform(
                from_json(
                    body -> '$.aliases',
                    '[{"name": "VARCHAR", "sort-name": "VARCHAR", "type": "VARCHAR", "locale": "VARCHAR",
                       "primary": "BOOLEAN"}]'
                ),
                -- sqlfluff reads the lambda's fields (alias.name) as columns of a table `alias` (references.from)
                -- noqa: disable=RF01
                lambda alias: {
                    'name': alias.name,
                    'sort_name': alias."sort-name",
                    'type': alias.type,
                    'locale': alias.locale,
                    'primary': alias.primary
                }
                -- noqa: enable=RF01
            ),
            cast([] as struct(name varchar, sort_name varchar, type varchar, locale varchar, "primary" boolean)[])
        ) as aliases,
        case
            when json_exists(body, '$.score') and not json_exists(body, '$.genres') then 'search'
            else 'lookup'
        end as answer_shape,
        fetched_at
    from answered

)

select * from renamed
