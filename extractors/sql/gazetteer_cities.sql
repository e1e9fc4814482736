-- The offline gazetteer's cities (view gazetteer_cities): the parquet file `path`, or no rows when it is
-- absent (none).
create or replace view gazetteer_cities as
{%- if path %}
select *
from read_parquet({{ literal(path) }})
{%- else %}
select
    null::bigint as geonameid,
    null::varchar as name,
    null::varchar as country_code,
    null::varchar as admin1_code,
    null::varchar as state_code,
    null::double as latitude,
    null::double as longitude,
    null::bigint as population
where false
{%- endif %}
