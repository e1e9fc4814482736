-- The offline gazetteer's cities (view gazetteer_cities): the parquet file `path`, or no rows when it is
-- absent (none). Typed like dbt's view (macros/raw_tables.sql): a file without a column (an older gazetteer, the
-- bench's stand-in) reads it as null.
create or replace view gazetteer_cities as
with typed as (
    select
        null::bigint as geonameid,
        null::varchar as name,
        null::varchar as country_code,
        null::varchar as admin1_code,
        null::varchar as state_code,
        null::varchar as subdivision_code,
        null::double as latitude,
        null::double as longitude,
        null::bigint as population
    where false
)

select * from typed
{%- if path %}
union all by name
select * from read_parquet({{ literal(path) }})
{%- endif %}
