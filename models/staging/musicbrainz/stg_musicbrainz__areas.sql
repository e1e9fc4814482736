-- One row per area: the latest 200 answer, parsed from either answer shape (lookup with `relations[]`, search
-- item with `relation-list[].relations[]`), with its parents (`part of` relations, direction backward).
with source as (

    select * from {{ source('musicbrainz', 'areas') }}

),

found as (

    {{ latest_answers('source') }}

),

answered as (

    select
        *,
        coalesce(body ->> '$.id', cast(key as varchar)) as answered_id
    from found

),

-- two keys answered with the same area (a merged MBID): the latest answer describes it
latest as (

    select *
    from answered
    qualify row_number() over (partition by answered_id order by fetched_at desc, key) = 1

),

relations as (

    -- lookup: a flat relations[] list
    select
        answered_id as area_id,
        unnest(body -> '$.relations[*]') as relation,
        generate_subscripts(body -> '$.relations[*]', 1) as relation_position
    from latest

    union all

    -- search item: relations nested as relation-list[].relations[], with a scalar target
    select
        answered_id as area_id,
        unnest(body -> '$."relation-list"[*].relations[*]') as relation,
        10000 + generate_subscripts(body -> '$."relation-list"[*].relations[*]', 1) as relation_position
    from latest

),

parent_relations as (

    select
        area_id,
        relation_position,
        coalesce(relation ->> '$.area.id', relation ->> '$.target') as parent_id,
        relation ->> '$.area.name' as parent_name,
        relation ->> '$.area.type' as parent_type,
        relation ->> '$.area."iso-3166-1-codes"[0]' as parent_iso_3166_1_code,
        relation ->> '$.area."iso-3166-2-codes"[0]' as parent_iso_3166_2_code,
        coalesce(try_cast(relation ->> '$.ended' as boolean), false) as ended
    from relations
    where relation ->> '$.direction' = 'backward'
        and coalesce(relation ->> '$."target-type"', 'area') = 'area'
        and coalesce(relation ->> '$.area.id', relation ->> '$.target') is not null
        and (
            relation ->> '$.type' = 'part of'
            or relation ->> '$."type-id"' = 'de7cc874-8b1b-3a05-8272-f3834c968fb7'
        )

),

parents as (

    select
        area_id,
        list(
            {
                'parent_id': parent_id,
                'parent_name': parent_name,
                'parent_type': parent_type,
                'parent_iso_3166_1_code': parent_iso_3166_1_code,
                'parent_iso_3166_2_code': parent_iso_3166_2_code,
                'ended': ended
            }
            order by relation_position
        ) as parents
    from parent_relations
    group by area_id

),

renamed as (

    select
        latest.answered_id as area_id,
        latest.body ->> '$.name' as area_name,
        latest.body ->> '$."sort-name"' as area_sort_name,
        latest.body ->> '$.type' as area_type,
        latest.body ->> '$."iso-3166-1-codes"[0]' as iso_3166_1_code,
        latest.body ->> '$."iso-3166-2-codes"[0]' as iso_3166_2_code,
        coalesce(
            try_cast(latest.body ->> '$."life-span".ended' as boolean),
            latest.body ->> '$."life-span".end' is not null
        ) as ended,
        coalesce(
            parents.parents,
            cast([] as struct(
                parent_id varchar,
                parent_name varchar,
                parent_type varchar,
                parent_iso_3166_1_code varchar,
                parent_iso_3166_2_code varchar,
                ended boolean
            )[])
        ) as parents,
        case
            when json_exists(latest.body, '$.score') or json_exists(latest.body, '$."relation-list"') then 'search'
            else 'lookup'
        end as answer_shape,
        latest.fetched_at
    from latest
    left join parents
        on parents.area_id = latest.answered_id

)

select * from renamed
