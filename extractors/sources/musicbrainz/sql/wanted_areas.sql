-- Areas: every area a landed artist references, and the current `part of` parents of every landed area
-- (an area with no current parent keeps its historical ones), so the hierarchy is fetched level by level.
with area_refs as (
    select area_id as key from stg_musicbrainz__artists
    union all
    select begin_area_id as key from stg_musicbrainz__artists
    union all
    select end_area_id as key from stg_musicbrainz__artists
),

current_parents as (
    select distinct area_id
    from int_musicbrainz__area_parents_ranked
    where not relation_ended and area_id is not null
),

parents as (
    select parent_id as key
    from int_musicbrainz__area_parents_ranked as relations
    where
        not relations.relation_ended
        or relations.area_id not in (select current_parents.area_id from current_parents)
),

area_keys as (
    select key from area_refs
    union all
    select key from parents
)

select
    key,
    count(*) as plays
from area_keys
group by key
