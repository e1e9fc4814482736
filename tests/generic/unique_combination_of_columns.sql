{#
  Generic data test: no two rows share the same values of combination_of_columns (a composite key).
  Usage (model level):
    data_tests:
      - unique_combination_of_columns:
          arguments:
            combination_of_columns: [artist_id, genre]
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {%- set columns_csv = combination_of_columns | join(', ') %}
    select
        {{ columns_csv }},
        count(*) as n_rows
    from {{ model }}
    group by {{ columns_csv }}
    having count(*) > 1
{% endtest %}
