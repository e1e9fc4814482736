{#
  Schema names as written (dbt's documented override): a model with `+schema: staging` goes to schema
  `staging`, not `<target schema>_staging` (dbt's default), and a model without one to the target's schema
  (`main` for DuckDB).

  Where things live in the warehouse (DUCKDB_PATH), set in dbt_project.yml:
    main          what a person queries: the contract tables (models/marts), the star schema
                  (models/marts/star: dim_*, fact_*) and the reports (models/reports); all tables
    staging       models/staging: one view per raw relation (stg_<source>__<entity>)
    intermediate  models/intermediate, and the star schema's helpers (models/intermediate/star)
    reference     the seeds (countries, country_aliases, country_timezones, us_states, mask_artists) and the
                  offline gazetteer's views (macros/create_raw_views.sql)
    raw           views over the landed parquet (macros/create_raw_views.sql)
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}


{% macro drop_relations_moved_out_of_main() %}
  {#-
    on-run-start hook (dbt_project.yml): a warehouse built before the schemas above holds its staging and
    intermediate models and its seeds in `main` too. dbt never drops a relation it no longer builds, so those
    stale copies (views over relative paths among them, which fail from any other folder) are dropped here:
    only a relation of `main` whose name is a model or seed of this project that now lives elsewhere.
  -#}
  {%- if execute -%}
    {%- set moved = [] -%}
    {%- for node in graph.nodes.values() -%}
      {%- if node.resource_type in ('model', 'seed') and node.schema != target.schema -%}
        {%- do moved.append((node.alias or node.name) | lower) -%}
      {%- endif -%}
    {%- endfor -%}
    {%- set found = run_query(
        "select table_name, table_type from information_schema.tables "
        ~ "where table_catalog = current_database() and table_schema = " ~ sql_string(target.schema)
    ) -%}
    {%- for row in found.rows if (row[0] | lower) in moved -%}
      {%- set kind = 'view' if row[1] == 'VIEW' else 'table' -%}
      {%- do run_query('drop ' ~ kind ~ ' if exists ' ~ target.schema ~ '."' ~ row[0] ~ '"') -%}
      {{ log(target.schema ~ '.' ~ row[0] ~ ': dropped (it now lives in a schema of its own)', info=true) }}
    {%- endfor -%}
  {%- endif -%}
{% endmacro %}
