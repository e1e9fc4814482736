-- One row per geocoding query (`params`) of the area hierarchy, split back into its parts: the city name
-- (params without its `,CC` or `,ST,US` suffix), the state of a US query (with its full name, to check
-- OpenWeather's `state`), the country, and the city's name key for exact matching.
with hierarchy as (

    select * from {{ ref('mbz_area_hierarchy') }}

),

us_states as (

    select * from {{ ref('us_states') }}

),

queries as (

    select distinct
        params,
        country_code,
        -- as mbz_area_hierarchy builds params: a state only in the United States
        case when country_code = 'US' then state_code end as state_code
    from hierarchy
    where params is not null

),

split as (

    select
        params,
        country_code,
        state_code,
        left(
            params,
            length(params) - length(',' || coalesce(state_code || ',', '') || country_code)
        ) as city_name
    from queries

),

final as (

    select
        split.params,
        split.city_name,
        {{ place_name_key('split.city_name') }} as city_key,
        split.state_code,
        us_states.state_name,
        split.country_code
    from split
    left join us_states
        on us_states.state_code = split.state_code
    qualify row_number() over (partition by split.params order by split.state_code nulls last) = 1

)

select * from final
