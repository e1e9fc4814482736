-- One row per geocoding query of the area hierarchy that has coordinates: the chosen candidate of
-- int_geo_city_candidates (the gazetteer before OpenWeather). A city neither knows is not here.
with params as (

    select * from {{ ref('int_geo_params') }}

),

candidates as (

    select * from {{ ref('int_geo_city_candidates') }}

),

final as (

    select
        params.params,
        params.city_name,
        params.state_code,
        params.country_code,
        candidates.lat,
        candidates.long,
        candidates.source
    from params
    inner join candidates
        on candidates.params = params.params
        and candidates.is_chosen

)

select * from final
