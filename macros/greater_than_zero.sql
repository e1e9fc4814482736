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


{#
  Generic data test: every row satisfies a SQL condition (rows where it is false fail; null passes).
  Usage (column or model level):
    data_tests:
      - expression_is_true:
          arguments:
            expression: ms_played >= 0
#}
{% test expression_is_true(model, expression, column_name=none) %}
    select *
    from {{ model }}
    where not ({{ expression }})
{% endtest %}
