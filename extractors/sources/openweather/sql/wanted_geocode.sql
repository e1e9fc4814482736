-- Geocoding queries: every city the gazetteer does not answer.
select
    params as key,
    1 as plays
from openweather_city_params
where params not in (select gazetteer_hits.params from openweather_gazetteer_hits as gazetteer_hits)
