-- The queries the offline gazetteer answers (view openweather_gazetteer_hits): a gazetteer candidate of
-- int_openweather__city_candidates_ranked, the model cities_with_lat_long chooses from, for the query and the
-- subdivision of an artist's area.
select distinct
    params,
    subdivision_code
from int_openweather__city_candidates_ranked
where source = 'gazetteer'

intersect

select
    params,
    subdivision_code
from openweather_city_params
