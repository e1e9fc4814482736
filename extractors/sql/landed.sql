-- One endpoint's landed answers (view `view`): the landed-raw contract's columns of every parquet file of
-- `files` (none yet: no rows).
create or replace view {{ view }} as
select
    null::varchar as key,
    null::smallint as status,
    null::timestamptz as fetched_at,
    null::json as body
where false
{%- if files %}

union all by name

select
    key,
    status,
    fetched_at,
    body
from read_parquet({{ literals(files) }}, union_by_name = true)
{%- endif %}
