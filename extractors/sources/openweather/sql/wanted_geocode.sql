-- Geocoding queries: every city the gazetteer does not answer (OpenWeather is asked `params`; its answer
-- serves every subdivision of that query the gazetteer does not know).
select distinct
    city_params.params as key,
    1 as plays
from openweather_city_params as city_params
where not exists (
        select 1
        from openweather_gazetteer_hits as hits
        where hits.params = city_params.params
            and hits.subdivision_code is not distinct from city_params.subdivision_code
    )
