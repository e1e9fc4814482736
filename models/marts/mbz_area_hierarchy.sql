{%- set levels = [
    ('city', 'City'),
    ('municipality', 'Municipality'),
    ('county', 'County'),
    ('district', 'District'),
    ('island', 'Island'),
    ('subdivision', 'Subdivision'),
    ('country', 'Country'),
] -%}
-- One row per landed area with its place at every level, found by walking the chosen parents upward
-- (recursive CTE: at most 10 steps, stopping at a Country, never revisiting an area of the path). A level the
-- walk does not reach is taken from a current, non-chosen parent of an area of the path (a city part of both
-- a County and a Subdivision walks the Subdivision and keeps the County).
-- Then its country by code (ISO 3166-1 of the country level, else the ISO 3166-2 prefix; an exact alias of
-- the country's name only when MusicBrainz gives no code), the continent and sovereign state of that
-- country, and the geocoding query `params` of its city-level place.
with recursive areas as (

    select * from {{ ref('stg_musicbrainz__areas') }}

),

countries as (

    select * from {{ ref('countries') }}

),

country_aliases as (

    select * from {{ ref('country_aliases') }}

),

parents as (

    select * from {{ ref('int_musicbrainz__area_parents_ranked') }}

),

-- what is known of an area the walk can reach: its own answer, else what a relation told of it
nodes as (

    select
        area_id,
        area_name,
        area_type,
        iso_3166_1_code,
        iso_3166_2_code
    from areas

    union all

    select
        parent_id as area_id,
        parent_name as area_name,
        parent_type as area_type,
        parent_iso_3166_1_code as iso_3166_1_code,
        parent_iso_3166_2_code as iso_3166_2_code
    from parents
    where not parent_is_landed
    qualify row_number() over (partition by parent_id order by area_id) = 1

),

walk as (

    select
        area_id as start_id,
        area_id as node_id,
        area_type as node_type,
        0 as depth,
        [area_id] as path
    from areas

    union all

    select
        walk.start_id,
        parents.parent_id as node_id,
        parents.parent_type as node_type,
        walk.depth + 1 as depth,
        list_append(walk.path, parents.parent_id) as path
    from walk
    inner join parents
        on parents.area_id = walk.node_id
        and parents.is_chosen
    where walk.depth < 10
        and walk.node_type is distinct from 'Country'
        and not list_contains(walk.path, parents.parent_id)

),

-- current parents the walk did not take, of the areas it went through (below the Country)
side_parents as (

    select
        walk.start_id,
        parents.parent_id as node_id,
        walk.depth + 1 as depth
    from walk
    inner join parents
        on parents.area_id = walk.node_id
        and not parents.is_chosen
        and not parents.relation_ended
    where walk.node_type is distinct from 'Country'
        and not list_contains(walk.path, parents.parent_id)

),

reached as (

    select start_id, node_id, depth, false as is_side from walk
    union all
    select start_id, node_id, depth, true as is_side from side_parents

),

leveled as (

    select
        reached.start_id,
        reached.node_id,
        nodes.area_name as node_name,
        nodes.iso_3166_1_code,
        nodes.iso_3166_2_code,
        case nodes.area_type
            {%- for level, area_type in levels %}
            when '{{ area_type }}' then '{{ level }}'
            {%- endfor %}
        end as level
    from reached
    inner join nodes
        on nodes.area_id = reached.node_id
    -- per level, the walked area nearest to the start, else the nearest side parent
    qualify
        row_number() over (
            partition by reached.start_id, level order by reached.is_side, reached.depth, reached.node_id
        ) = 1

),

pivoted as (

    select
        start_id as area_id,
        {%- for level, area_type in levels %}
        max(node_id) filter (where level = '{{ level }}') as {{ level }}_id,
        max(node_name) filter (where level = '{{ level }}') as {{ level }}_name,
        {%- endfor %}
        max(iso_3166_2_code) filter (where level = 'subdivision') as subdivision_code,
        max(iso_3166_1_code) filter (where level = 'country') as country_iso_3166_1_code
    from leveled
    where level is not null
    group by start_id

),

coded as (

    select
        areas.area_id,
        areas.area_type,
        areas.area_name,
        areas.area_sort_name,
        {%- for level, area_type in levels %}
        pivoted.{{ level }}_id,
        pivoted.{{ level }}_name,
        {%- endfor %}
        pivoted.subdivision_code,
        nullif(split_part(pivoted.subdivision_code, '-', 2), '') as state_code,
        -- by code only: the country level's ISO 3166-1 code, else the subdivision's ISO 3166-2 prefix
        coalesce(
            nullif(upper(trim(pivoted.country_iso_3166_1_code)), ''),
            case when pivoted.subdivision_code like '__-%' then upper(left(pivoted.subdivision_code, 2)) end
        ) as code_country_code
    from areas
    left join pivoted
        on pivoted.area_id = areas.area_id

),

-- no code at all: the exact alias of the country level's name, else of the area's own name (a Country)
named as (

    select
        coded.* exclude (coded.code_country_code),
        coalesce(
            coded.code_country_code,
            by_country_name.country_code,
            case when coded.area_type = 'Country' then by_area_name.country_code end
        ) as country_code
    from coded
    left join country_aliases as by_country_name
        on coded.code_country_code is null
        and by_country_name.alias = {{ place_name_key('coded.country_name') }}
    left join country_aliases as by_area_name
        on coded.code_country_code is null
        and by_area_name.alias = {{ place_name_key('coded.area_name') }}

),

-- the city-level place to geocode: the City, else the Municipality without its " Municipality" suffix (a
-- District has the City the walk reached above it, or none)
placed as (

    select
        *,
        coalesce(
            nullif(trim(city_name), ''),
            nullif(trim(regexp_replace(municipality_name, '\s+Municipality$', '')), '')
        ) as geocode_city_name
    from named

),

final as (

    select
        placed.area_id,
        placed.area_type,
        placed.area_name,
        placed.area_sort_name,
        {%- for level, area_type in levels %}
        placed.{{ level }}_id,
        placed.{{ level }}_name,
        {%- endfor %}
        placed.subdivision_code,
        placed.state_code,
        placed.country_code,
        countries.sovereign_country_code,
        countries.continent_code,
        countries.continent,
        case
            when placed.geocode_city_name is null or placed.country_code is null then null
            when placed.country_code = 'US' and placed.state_code is not null
                then placed.geocode_city_name || ',' || placed.state_code || ',US'
            else placed.geocode_city_name || ',' || placed.country_code
        end as params
    from placed
    left join countries
        on countries.country_code = placed.country_code

)

select * from final
