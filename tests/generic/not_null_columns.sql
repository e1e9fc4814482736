{#
  Generic data test: none of the columns is null. One query per model instead of one per column: each data
  test is a node dbt runs on its own, and at a few hundred of them their overhead outweighed their scans (a
  daily build runs every test of what it rebuilds: docs/incremental.md). A failing row says which columns
  are null in `null_columns`. Columns whose not_null constraint a contract enforces need no test: the build
  itself fails on a null there. A model with a single not-null column keeps dbt's own not_null.
  Usage (model level):
    data_tests:
      - not_null_columns:
          arguments:
            columns: [play_key, user_id]
#}
{% test not_null_columns(model, columns) %}
    select
        concat_ws(
            ', '
            {%- for column in columns %},
            case when {{ column }} is null then '{{ column }}' end
            {%- endfor %}
        ) as null_columns
    from {{ model }}
    where
        {%- for column in columns %}
        {{ 'or ' if not loop.first }}{{ column }} is null
        {%- endfor %}
{% endtest %}
