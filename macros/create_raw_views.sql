{#
  on-run-start hook (dbt_project.yml): (re)creates schema `raw` and one view per entry of raw_tables(), and
  schema `reference` with one view per entry of reference_tables() (the offline gazetteer, one parquet file
  each in reference_dir(), which is in the repository and not under DATA_DIR).

  Each view is a typed, empty relation (every contract column, `where false`) and, only when
  glob('<DATA_DIR>/<path>/*.parquet') finds files at execution time, `union all by name` the parquet files
  read with union_by_name. An outer select casts every column to its contract type, so
    - a fresh checkout with no files yet builds (no "No files found that match the pattern"),
    - files lacking optional columns (tracks_played) still read, the missing columns being null,
    - columns the contract does not know are dropped,
    - the history's view (source_file: true) also names each row's file, `source_file` (a filter on it reads
      only those files: the incremental merge reads only the history files it has not seen).
  The glob inside the view is evaluated when the view is queried, so files landed after the run are seen;
  a directory that was empty at run time stays empty until the next dbt run recreates the views.
  The view names its folder by its absolute path (a relative DATA_DIR or reference folder is taken from the
  directory dbt runs in, the repository root), so the staging views over it open from any folder too
  (a notebook, a SQL client); moving the data folder takes a dbt run to follow.
#}

{% macro absolute_path(path) %}
  {#- path itself when absolute (`/...`, `~/...`), else joined to the project directory dbt runs in -#}
  {%- set path = path | string -%}
  {%- set root = (invocation_args_dict.get('project_dir') or '') | string -%}
  {%- if path.startswith('/') or path.startswith('~') or not root.startswith('/') -%}
    {{ return(path) }}
  {%- endif -%}
  {%- set rel = path[2:] if path.startswith('./') else path -%}
  {{ return(root.rstrip('/') ~ '/' ~ rel if rel not in ('', '.') else root) }}
{% endmacro %}

{% macro raw_view_sql(table, data_dir, schema='raw') %}
  {#- table.path: a folder under data_dir, read as <folder>/*.parquet; table.file: one file in data_dir -#}
  {%- if table.file is defined -%}
    {%- set pattern = data_dir ~ '/' ~ table.file -%}
  {%- else -%}
    {%- set pattern = data_dir ~ '/' ~ table.path ~ '/*.parquet' -%}
  {%- endif -%}
  {%- set found = run_query('select count(*) from glob(' ~ sql_string(pattern) ~ ')').columns[0].values()[0] -%}
  {%- set sql -%}
create or replace view {{ schema }}.{{ table.name }} as
select
{%- for column in table.columns %}
    cast({{ column[0] }} as {{ column[1] }}) as {{ column[0] }}{{ ',' if not loop.last or table.source_file }}
{%- endfor %}
{%- if table.source_file %}
    cast(source_file as varchar) as source_file
{%- endif %}
from (
    select
    {%- for column in table.columns %}
        null::{{ column[1] }} as {{ column[0] }}{{ ',' if not loop.last or table.source_file }}
    {%- endfor %}
    {%- if table.source_file %}
        null::varchar as source_file
    {%- endif %}
    where false
{%- if found > 0 %}
    union all by name
    select * from read_parquet(
        {{ sql_string(pattern) }}, union_by_name = true{{ ", filename = 'source_file'" if table.source_file }}
    )
{%- endif %}
) as landed
  {%- endset -%}
  {{ return({'sql': sql, 'files': found, 'pattern': pattern}) }}
{% endmacro %}


{% macro create_raw_views() %}
  {%- if execute -%}
    {%- set data_dir = absolute_path(raw_data_dir()) -%}
    {%- do run_query('create schema if not exists raw') -%}
    {%- for table in raw_tables() -%}
      {%- set view = raw_view_sql(table, data_dir) -%}
      {%- do run_query(view.sql) -%}
      {{ log('raw.' ~ table.name ~ ': ' ~ view.files ~ ' parquet file(s) in ' ~ view.pattern, info=true) }}
    {%- endfor -%}
    {#- the offline gazetteer: schema `reference`, read from reference_dir() (in the repository, not DATA_DIR) -#}
    {%- set ref_dir = absolute_path(reference_dir()) -%}
    {%- do run_query('create schema if not exists reference') -%}
    {%- for table in reference_tables() -%}
      {%- set view = raw_view_sql(table, ref_dir, 'reference') -%}
      {%- do run_query(view.sql) -%}
      {{ log('reference.' ~ table.name ~ ': ' ~ view.files ~ ' file(s) ' ~ view.pattern, info=true) }}
    {%- endfor -%}
  {%- endif -%}
{% endmacro %}
