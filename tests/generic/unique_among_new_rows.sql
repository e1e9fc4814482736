{#
  Generic data test: no value of the column that a row written by the newest build holds appears twice in the
  table. For the incremental listen models (docs/incremental.md, "Tests on the big tables"), whose rows carry
  the build that wrote them in `built_at`: the rows an earlier build wrote were unique when it tested them and
  have not changed since, so only a new row can make a duplicate, and dbt's `unique` would group every row of
  the table on every build. On a full refresh every row is the newest build's (one built_at), and the test is
  `unique` again.
  Usage (column level, on a model with built_at):
    data_tests:
      - unique_among_new_rows
#}
{% test unique_among_new_rows(model, column_name) %}
    with new_values as (

        select distinct {{ column_name }} as value
        from {{ model }}
        where built_at = (select max(newest.built_at) from {{ model }} as newest)

    )

    select
        {{ column_name }},
        count(*) as n_rows
    from {{ model }}
    where {{ column_name }} in (select value from new_values)
    group by {{ column_name }}
    having count(*) > 1
{% endtest %}
