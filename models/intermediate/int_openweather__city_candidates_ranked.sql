-- One row per geocoding query (params and MusicBrainz subdivision) x place that can be its city, from both
-- sources, ranked: the offline gazetteer first (a city in the query's subdivision before one whose subdivision
-- the gazetteer does not know, then a city whose own name is the query's before one that has it as an
-- alternate name, then the largest population), then OpenWeather (a result whose `state` is the name of the
-- query's subdivision first, then OpenWeather's order).
-- A candidate must be in the query's country, in its state for a US query, and carry exactly the city's
-- name (after normalization): never a substring or a fuzzy neighbour. When the query's subdivision is one the
-- gazetteer knows (gazetteer_subdivision_code), a gazetteer city in another subdivision is no candidate, however
-- large: Santo Amaro (BR-BA) is not Santo Amaro (BR-SP), and a wrong city is worse than asking OpenWeather.
with params as (

    select * from {{ ref('int_openweather__geocode_queries_parsed') }}

),

gazetteer_cities as (

    select * from {{ ref('stg_gazetteer__cities') }}

),

gazetteer_names as (

    select * from {{ ref('stg_gazetteer__names') }}

),

geocode_results as (

    select * from {{ ref('stg_openweather__geocode') }}

),

gazetteer_candidates as (

    select
        params.params,
        params.subdivision_code,
        'gazetteer' as source,
        gazetteer_cities.geonameid,
        cast(null as integer) as result_position,
        gazetteer_cities.name as candidate_name,
        {{ place_name_key('gazetteer_cities.name') }} = params.city_key as is_own_name,
        gazetteer_cities.subdivision_code = params.gazetteer_subdivision_code as is_in_subdivision,
        gazetteer_cities.lat,
        gazetteer_cities.long,
        gazetteer_cities.population
    from params
    inner join gazetteer_names
        on gazetteer_names.name_key = params.city_key
    inner join gazetteer_cities
        on gazetteer_cities.geonameid = gazetteer_names.geonameid
        and gazetteer_cities.country_code = params.country_code
    where (params.state_code is null or gazetteer_cities.state_code = params.state_code)
        and (
            params.gazetteer_subdivision_code is null
            or gazetteer_cities.subdivision_code is null
            or gazetteer_cities.subdivision_code = params.gazetteer_subdivision_code
        )

),

openweather_candidates as (

    select
        params.params,
        params.subdivision_code,
        'openweather' as source,
        cast(null as bigint) as geonameid,
        geocode_results.result_position,
        geocode_results.name as candidate_name,
        {{ place_name_key('geocode_results.name') }} = params.city_key as is_own_name,
        {{ place_name_key('geocode_results.state') }} = {{ place_name_key('params.subdivision_name') }}
            as is_in_subdivision,
        geocode_results.lat,
        geocode_results.long,
        cast(null as bigint) as population
    from params
    inner join geocode_results
        on geocode_results.params = params.params
        and geocode_results.country_code = params.country_code
    where geocode_results.lat is not null
        and geocode_results.long is not null
        and (
            params.state_code is null
            or {{ place_name_key('geocode_results.state') }} = {{ place_name_key('params.state_name') }}
        )
        and params.city_key in (
            {{ place_name_key('geocode_results.name') }},
            {{ place_name_key('geocode_results.local_name_en') }},
            {{ place_name_key('geocode_results.local_name_ascii') }}
        )

),

candidates as (

    select * from gazetteer_candidates
    union all
    select * from openweather_candidates

),

ranked as (

    select
        *,
        cast(row_number() over (
            partition by params, subdivision_code
            order by
                source = 'gazetteer' desc,
                -- in the query's subdivision before a place whose subdivision is not known (or, for an
                -- OpenWeather result, whose `state` is not the subdivision's name)
                coalesce(is_in_subdivision, false) desc,
                -- gazetteer: its own name before an alternate name, then the largest; OpenWeather: its order
                case when source = 'gazetteer' then is_own_name end desc nulls last,
                population desc nulls last,
                result_position,
                geonameid
        ) as integer) as candidate_rank
    from candidates

),

final as (

    select
        params,
        subdivision_code,
        source,
        geonameid,
        result_position,
        candidate_name,
        is_own_name,
        is_in_subdivision,
        lat,
        long,
        population,
        candidate_rank,
        candidate_rank = 1 as is_chosen
    from ranked

)

select * from final
