{#
  Generic data test: the model's rows keep the model's rules, all of them in one query. Each data test is a
  node dbt runs on its own, with some 20 ms of dbt's own work besides its scan; a night's build runs every
  test of what it rebuilds (docs/incremental.md, "Tests on the big tables"), so a model's rules are one test
  rather than one per column and rule. Each failure is a row saying which rules broke in `failed_checks`: a
  row breaking rules on single rows names them; a key held by several rows names the key, its value and how
  many rows hold it.
  The rules, each optional:
    not_null: columns that are never null.
    accepted_values: per column, the values it may hold (a null passes, as in dbt's accepted_values); strings
      are quoted, numbers and booleans are not.
    greater_than_zero: columns whose non-null values are > 0.
    expressions: SQL conditions every row satisfies (a row where one is null passes, as in
      expression_is_true).
    unique: the model's keys, each no two rows share: a column (nulls are not compared, as in dbt's unique)
      or a list of columns (a composite key; nulls compare equal, as in dbt-utils' unique_combination_of_columns).
      With a `where` config, only the rows it keeps are compared: give the incremental models' keys
      unique_among_new_rows instead.
    references: columns whose non-null values are values of a column of another model (dbt's
      relationships): each `{column, to, field}`, with `where`, a condition on the model's rows, to check only
      the rows it keeps. A failure names the value missing and how many rows hold it.
  Usage (model level):
    data_tests:
      - row_checks:
          arguments:
            not_null: [play_key, user_id]
            accepted_values:
              weekday: [1, 2, 3, 4, 5, 6, 7]
            greater_than_zero: [plays]
            expressions: ["hour between 0 and 23"]
            unique: [play_key, [weekday, hour]]
            references:
              - {column: artist_key, to: "ref('dim_artist')", field: artist_key}
              - {column: city, to: "ref('cities')", field: city, where: "lat is not null"}
#}
{% test row_checks(model, not_null=[], accepted_values={}, greater_than_zero=[], expressions=[], unique=[], references=[]) %}
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
    {%- if not checks and not unique and not references -%}
        {{ exceptions.raise_compiler_error("row_checks on " ~ model ~ ": no rule given") }}
    {%- endif %}
    {#- not materialized: the rules and each key and reference read the model again, instead of DuckDB keeping
        a copy of every column of it (at 10M listens fact_track_played's copy spilled to disk: 24 s, 5.2 s
        without it; docs/incremental.md, "A sixth machine") #}
    with tested as not materialized (

        select * from {{ model }}

    )
    {%- for reference in references %},

    reference_{{ loop.index }} as (

        select {{ reference.column }} as child_value
        from tested
        where {{ reference.column }} is not null
        {%- if reference.where %} and ({{ reference.where }}){% endif %}

    )
    {%- endfor %}
    {%- if checks %}

    select
        concat_ws(
            '; '
            {%- for condition, name in checks %},
            case when {{ condition }} then '{{ name | replace("'", "''") }}' end
            {%- endfor %}
        ) as failed_checks
    from tested
    where
        {%- for condition, name in checks %}
        {{ 'or ' if not loop.first }}coalesce({{ condition }}, false)
        {%- endfor %}
    {%- endif %}
    {%- for key in unique %}
        {%- set columns = [key] if key is string else key %}
        {%- set key_columns = columns | join(", ") %}
    {{ 'union all' if checks or not loop.first }}

    select
        'key ({{ key_columns }}) = (' || concat_ws(', '
        {%- for column in columns %}, coalesce(cast({{ column }} as varchar), 'null'){% endfor -%}
        ) || ') in ' || count(*) || ' rows' as failed_checks
    from tested
    {%- if key is string %}
    where {{ key }} is not null
    {%- endif %}
    group by {{ key_columns }}
    having count(*) > 1
    {%- endfor %}
    {%- for reference in references %}
    {{ 'union all' if checks or unique or not loop.first }}

    select
        '{{ reference.column }} = ' || cast(child.child_value as varchar)
        || ' is not in {{ reference.to.identifier }}.{{ reference.field }} (' || count(*) || ' rows)' as failed_checks
    from reference_{{ loop.index }} as child
    anti join {{ reference.to }} as parent on child.child_value = parent.{{ reference.field }}
    group by child.child_value
    {%- endfor %}
{% endtest %}
