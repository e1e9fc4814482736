-- One row per geocoding query of the area hierarchy (params and the MusicBrainz subdivision of its area) that
-- has coordinates: the chosen candidate of int_openweather__city_candidates_ranked (the gazetteer before
-- OpenWeather). A city neither knows is not here.
with params as (

    select * from {{ ref('int_openweather__geocode_queries_parsed') }}

),

candidates as (

    select * from {{ ref('int_openweather__city_candidates_ranked') }}

),

final as (

    select
        params.params,
        params.subdivision_code,
        params.city_name,
        params.state_code,
        params.country_code,
        candidates.lat,
        candidates.long,
        candidates.source
    from params
    inner join candidates
        on candidates.params = params.params
        and candidates.subdivision_code is not distinct from params.subdivision_code
        and candidates.is_chosen

)

select * from final
