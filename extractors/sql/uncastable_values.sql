-- How many values of `column` of the history file {{ path }} are not null and cannot be read as `type`, and one
-- of them (its first 40 characters).
select
    count(*) as uncastable,
    any_value(left("{{ column }}"::varchar, 40)) as example
from read_parquet({{ literal(path) }})
where "{{ column }}" is not null and try_cast("{{ column }}" as {{ type }}) is null
