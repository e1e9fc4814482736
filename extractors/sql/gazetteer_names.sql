-- The offline gazetteer's name keys (view gazetteer_names): the parquet file `path`, or no rows when it is
-- absent (none).
create or replace view gazetteer_names as
{%- if path %}
select *
from read_parquet({{ literal(path) }})
{%- else %}
select
    null::bigint as geonameid,
    null::varchar as name_key
where false
{%- endif %}
