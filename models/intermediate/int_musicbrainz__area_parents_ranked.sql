-- One row per (area, parent area) of the landed areas' `part of` parents, ranked: parent_rank = 1 is the
-- chosen parent the hierarchy walks up. Non-ended relations first, then Subdivision, County, the other
-- sub-country levels, and a Country last (the walk reaches it through the others anyway).
with areas as (

    select * from {{ ref('stg_musicbrainz__areas') }}

),

relations as (

    select
        area_id,
        unnest(parents) as parent
    from areas

),

candidates as (

    select
        relations.area_id,
        relations.parent.parent_id,
        coalesce(landed.area_name, relations.parent.parent_name) as parent_name,
        coalesce(landed.area_type, relations.parent.parent_type) as parent_type,
        coalesce(landed.iso_3166_1_code, relations.parent.parent_iso_3166_1_code) as parent_iso_3166_1_code,
        coalesce(landed.iso_3166_2_code, relations.parent.parent_iso_3166_2_code) as parent_iso_3166_2_code,
        coalesce(relations.parent.ended, false) as relation_ended,
        landed.area_id is not null as parent_is_landed
    from relations
    left join areas as landed
        on landed.area_id = relations.parent.parent_id
    where relations.parent.parent_id is not null
        and relations.parent.parent_id <> relations.area_id

),

-- the same parent listed twice (current and ended): the current relation counts
deduplicated as (

    select *
    from candidates
    qualify row_number() over (partition by area_id, parent_id order by relation_ended) = 1

),

ranked as (

    select
        *,
        cast(row_number() over (
            partition by area_id
            order by
                relation_ended,
                case parent_type
                    when 'Subdivision' then 1
                    when 'County' then 2
                    when 'Municipality' then 3
                    when 'District' then 4
                    when 'Island' then 5
                    when 'City' then 6
                    when 'Country' then 8
                    else 7
                end,
                parent_is_landed desc,
                parent_id
        ) as integer) as parent_rank
    from deduplicated

),

final as (

    select
        area_id,
        parent_id,
        parent_name,
        parent_type,
        parent_iso_3166_1_code,
        parent_iso_3166_2_code,
        relation_ended,
        parent_is_landed,
        parent_rank,
        parent_rank = 1 as is_chosen
    from ranked

)

select * from final
