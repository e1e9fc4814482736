-- How many cities there are to locate, and how many of them the gazetteer answers.
select
    (select count(*) from openweather_city_params)::varchar as cities,
    (select count(*) from openweather_gazetteer_hits)::varchar as known
