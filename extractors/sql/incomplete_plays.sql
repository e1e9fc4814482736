-- How many offered plays lack one of the columns every play needs (`required`).
select count(*) as incomplete
from incoming
where
{%- for name in required %}
    {{ "or " if not loop.first }}{{ name }} is null
{%- endfor %}
