-- The plays offered to the history (table incoming): the rows of `plays` (any subset of the contract's
-- columns), every contract column of `columns` (name: type) cast to its type, a missing one null.
create or replace temp table incoming as
with offered as (
    select
    {%- for name, type in columns.items() %}
        null::{{ type }} as {{ name }}{{ "," if not loop.last }}
    {%- endfor %}
    where false

    union all by name

    (
        {{ plays }}
    )
)

select
{%- for name, type in columns.items() %}
    cast({{ name }} as {{ type }}) as {{ name }}{{ "," if not loop.last }}
{%- endfor %}
from offered
