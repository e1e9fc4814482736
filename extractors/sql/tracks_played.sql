-- The history (view tracks_played, or `view`): every parquet file of `files`, read by column name, every contract column
-- of `columns` (name: type) there (null when a file lacks it) and cast with try_cast (catalog.py checks first
-- that no value of another type is lost), and source_file, the file a row is in, as dbt's raw view names it
-- (macros/create_raw_views.sql: the staging model passes it on).
create or replace temp view {{ view | default('tracks_played') }} as
with unioned as (
    select
    {%- for name, type in columns.items() %}
        null::{{ type }} as {{ name }},
    {%- endfor %}
        null::varchar as source_file
    where false

    union all by name

    select *
    from read_parquet({{ literals(files) }}, union_by_name = true, filename = 'source_file')
)

select
{%- for name, type in columns.items() %}
    try_cast({{ name }} as {{ type }}) as {{ name }},
{%- endfor %}
    cast(source_file as varchar) as source_file
from unioned
