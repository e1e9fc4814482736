-- The history (view tracks_played, or `view`): every parquet file of `files`, read by column name, every contract column
-- of `columns` (name: type) there (null when a file lacks it) and cast with try_cast (catalog.py checks first
-- that no value of another type is lost).
create or replace temp view {{ view | default('tracks_played') }} as
with unioned as (
    select
    {%- for name, type in columns.items() %}
        null::{{ type }} as {{ name }}{{ "," if not loop.last }}
    {%- endfor %}
    where false

    union all by name

    select *
    from read_parquet({{ literals(files) }}, union_by_name = true)
)

select
{%- for name, type in columns.items() %}
    try_cast({{ name }} as {{ type }}) as {{ name }}{{ "," if not loop.last }}
{%- endfor %}
from unioned
