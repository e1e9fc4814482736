{#
  Generic data test: every non-null value of the column is > 0.
  Usage (column level):
    data_tests:
      - greater_than_zero
#}
{% test greater_than_zero(model, column_name) %}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} <= 0
{% endtest %}
