-- One row per geocoding query (`params`) of the area hierarchy and MusicBrainz subdivision of its area, split
-- back into its parts: the city name (params without its `,CC` or `,ST,US` suffix), the state of a US query
-- (with its full name, to check OpenWeather's `state`), the country, and the city's name key for exact
-- matching. Two areas of one name in one country (Santo Amaro in BR-BA and in BR-SP) share their `params` but
-- are two rows here: gazetteer_subdivision_code is the top-level ISO 3166-2 code of the area's subdivision
-- when the gazetteer has cities in it (FR-75C Paris -> FR-IDF), the subdivision a gazetteer candidate must be
-- in; null when MusicBrainz names no subdivision or the gazetteer cannot tell (none of its cities has it).
with hierarchy as (

    select * from {{ ref('mbz_area_hierarchy') }}

),

us_states as (

    select * from {{ ref('us_states') }}

),

subdivision_parents as (

    select * from {{ ref('subdivision_parents') }}

),

gazetteer_cities as (

    select * from {{ ref('stg_gazetteer__cities') }}

),

-- the top-level subdivisions the gazetteer places cities in
gazetteer_subdivisions as (

    select distinct
        country_code,
        subdivision_code
    from gazetteer_cities
    where subdivision_code is not null

),

queries as (

    select
        params,
        country_code,
        -- as mbz_area_hierarchy builds params: a state only in the United States
        case when country_code = 'US' then state_code end as state_code,
        nullif(upper(trim(subdivision_code)), '') as subdivision_code,
        subdivision_name
    from hierarchy
    where params is not null
    qualify row_number() over (
            partition by params, nullif(upper(trim(subdivision_code)), '')
            order by case when country_code = 'US' then state_code end nulls last, subdivision_name nulls last
        ) = 1

),

split as (

    select
        params,
        country_code,
        state_code,
        subdivision_code,
        subdivision_name,
        left(
            params,
            length(params) - length(',' || coalesce(state_code || ',', '') || country_code)
        ) as city_name
    from queries

),

final as (

    select
        split.params,
        split.subdivision_code,
        split.subdivision_name,
        gazetteer_subdivisions.subdivision_code as gazetteer_subdivision_code,
        split.city_name,
        {{ place_name_key('split.city_name') }} as city_key,
        split.state_code,
        us_states.state_name,
        split.country_code
    from split
    left join us_states
        on us_states.state_code = split.state_code
    left join subdivision_parents
        on subdivision_parents.subdivision_code = split.subdivision_code
    left join gazetteer_subdivisions
        on gazetteer_subdivisions.country_code = split.country_code
        and gazetteer_subdivisions.subdivision_code
        = coalesce(subdivision_parents.top_subdivision_code, split.subdivision_code)

)

select * from final
