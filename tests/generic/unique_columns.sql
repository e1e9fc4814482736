{#
  Generic data test: each of the columns is unique on its own (a key each, as dbt's `unique` on every one of
  them, nulls not compared), in one query: one node instead of one per column (row_checks.sql says why). A
  failing row names the column, the value held twice or more, and how many rows hold it.
  Usage (model level):
    data_tests:
      - unique_columns:
          arguments:
            columns: [track_key, track_id]
#}
{% test unique_columns(model, columns) %}
    {%- if columns | length < 2 -%}
        {{ exceptions.raise_compiler_error("unique_columns on " ~ model ~ ": give two columns or more (one: unique)") }}
    {%- endif %}
    with tested as (

        select * from {{ model }}

    )

    {%- for column in columns %}
    {{ 'union all' if not loop.first }}
    select
        '{{ column }}' as column_name,
        cast({{ column }} as varchar) as value,
        count(*) as n_rows
    from tested
    where {{ column }} is not null
    group by {{ column }}
    having count(*) > 1
    {%- endfor %}
{% endtest %}
