{#
  A surrogate key: md5 of the columns cast to varchar, a null replaced by a placeholder, joined with '-'
  (what dbt_utils.generate_surrogate_key does, written here: the project uses no hub packages).
  Usage: {{ surrogate_key(['artist_id', 'artist_name_key']) }}; each item is a column or SQL expression.
#}
{% macro surrogate_key(columns) %}
    md5(concat_ws('-'
    {%- for column in columns %},
        coalesce(cast({{ column }} as varchar), '_dbt_utils_surrogate_key_null_')
    {%- endfor %}
    ))
{% endmacro %}
