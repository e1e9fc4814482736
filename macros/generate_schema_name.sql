{#
  Schema names as written (dbt's documented override): a model with `+schema: staging` goes to schema
  `staging`, not `<target schema>_staging` (dbt's default), and a model without one to the target's schema
  (`main` for DuckDB).

  Where things live in the warehouse (DUCKDB_PATH), set in dbt_project.yml:
    main          what a person queries: the contract tables (models/marts), the star schema
                  (models/marts/star: dim_*, fact_*) and the reports (models/reports); all tables
    staging       models/staging: one view per raw relation (stg_<source>__<entity>)
    intermediate  models/intermediate, and the star schema's helpers (int_star__*)
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
