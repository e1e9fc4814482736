{#
  The latest "found" answer of every key of a landed raw relation: status 200, a body of the expected JSON
  type, and of several answers for one key (a not-found asked again later) the most recently fetched.
  Every staging model over landed API answers starts from it.
#}
{% macro latest_answers(relation, json_type='OBJECT') %}
    select *
    from {{ relation }}
    where status = 200
        and body is not null
        and json_type(body) = '{{ json_type }}'
    qualify row_number() over (partition by key order by fetched_at desc) = 1
{% endmacro %}
