{#
  Generic data test: no value of the column that a row written by the newest build holds appears twice in the
  table. For the incremental listen models (docs/incremental.md, "Tests on the big tables"): the rows an
  earlier build wrote were unique when it tested them and have not changed since, so only a new row can make a
  duplicate, and dbt's `unique` would group every row of the table on every build. `new_rows` is the
  condition that picks the newest build's rows; on a full refresh it picks them all (one built_at), and the
  test is `unique` again.
  Usage (column level):
    data_tests:
      - unique_among_new_rows:
          arguments:
            new_rows: "built_at = (select max(newest.built_at) from intermediate.my_model as newest)"
#}
{% test unique_among_new_rows(model, column_name, new_rows) %}
    with new_values as (

        select distinct {{ column_name }} as value
        from {{ model }}
        where {{ new_rows }}

    )

    select
        {{ column_name }},
        count(*) as n_rows
    from {{ model }}
    where {{ column_name }} in (select value from new_values)
    group by {{ column_name }}
    having count(*) > 1
{% endtest %}
