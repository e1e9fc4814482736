{#
  Values passed by the Python caller, as SQL literals: the one way a query takes text it did not write
  (a file path, a user id, a delimiter). Single quotes are doubled; none becomes a typed null.
#}

{% macro literal(value) -%}
    {%- if value is none -%}
        null::varchar
    {%- else -%}
        '{{ value | string | replace("'", "''") }}'
    {%- endif -%}
{%- endmacro %}


{% macro literals(values) -%}
    [{% for value in values %}{{ literal(value) }}{{ ", " if not loop.last }}{% endfor %}]
{%- endmacro %}
