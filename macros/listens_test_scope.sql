{#
  The rows a data test of an incremental listen model reads (its `where` config, docs/incremental.md): on
  `dbt build --full-refresh`, every row; on an incremental build, the rows this build wrote (built_at), since
  the others were tested when they were written and have not changed. Used for the per-row tests (not_null,
  expression_is_true); the tests across rows (unique, relationships) read every row.
#}
{% macro listens_test_scope() -%}
  {%- if flags.FULL_REFRESH or run_started_at is not defined -%}
    true
  {%- else -%}
    built_at >= {{ listens_build_time() }}
  {%- endif -%}
{%- endmacro %}
