{#
  Generic data test: every row of the model keeps the model's row rules, all of them in one query. Each data
  test is a node dbt runs on its own, with some 20 ms of dbt's own work besides its scan; a night's build runs
  every test of what it rebuilds (docs/incremental.md, "Tests on the big tables"), so a model's rules on single
  rows are one test rather than one per column and rule. A failing row says which rules it breaks in
  `failed_checks`.
  The rules, each optional:
    not_null: columns that are never null.
    accepted_values: per column, the values it may hold (a null passes, as in dbt's accepted_values); strings
      are quoted, numbers and booleans are not.
    greater_than_zero: columns whose non-null values are > 0.
    expressions: SQL conditions every row satisfies (a row where one is null passes, as in
      expression_is_true).
  Usage (model level):
    data_tests:
      - row_checks:
          arguments:
            not_null: [play_key, user_id]
            accepted_values:
              weekday: [1, 2, 3, 4, 5, 6, 7]
            greater_than_zero: [plays]
            expressions: ["hour between 0 and 23"]
#}
{% test row_checks(model, not_null=[], accepted_values={}, greater_than_zero=[], expressions=[]) %}
    {%- set checks = [] -%}
    {%- for column in not_null -%}
        {%- do checks.append((column ~ ' is null', column ~ ' is null')) -%}
    {%- endfor -%}
    {%- for column, values in accepted_values.items() -%}
        {%- set listed = [] -%}
        {%- for value in values -%}
            {%- do listed.append("'" ~ (value | replace("'", "''")) ~ "'" if value is string else (value | string | lower if value is boolean else value | string)) -%}
        {%- endfor -%}
        {%- do checks.append(
            (column ~ ' not in (' ~ listed | join(', ') ~ ')', column ~ ' is not an accepted value')
        ) -%}
    {%- endfor -%}
    {%- for column in greater_than_zero -%}
        {%- do checks.append((column ~ ' <= 0', column ~ ' <= 0')) -%}
    {%- endfor -%}
    {%- for expression in expressions -%}
        {%- do checks.append(('not (' ~ expression ~ ')', 'not (' ~ expression ~ ')')) -%}
    {%- endfor -%}
    {%- if not checks -%}
        {{ exceptions.raise_compiler_error("row_checks on " ~ model ~ ": no rule given") }}
    {%- endif %}
    select
        concat_ws(
            '; '
            {%- for condition, name in checks %},
            case when {{ condition }} then '{{ name | replace("'", "''") }}' end
            {%- endfor %}
        ) as failed_checks
    from {{ model }}
    where
        {%- for condition, name in checks %}
        {{ 'or ' if not loop.first }}coalesce({{ condition }}, false)
        {%- endfor %}
{% endtest %}
