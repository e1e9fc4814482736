{#
  on-run-start hook (dbt_project.yml): makes sure schema `raw` holds one view per entry of raw_tables(), and
  schema `reference` one view per entry of reference_tables() (the offline gazetteer, one parquet file
  each in reference_dir(), which is in the repository and not under DATA_DIR), writing again only the views
  whose statement changed (create_raw_views below; tests/test_raw_views.py).

  Each view is a typed, empty relation (every contract column, `where false`) and, only when
  glob('<DATA_DIR>/<path>/*.parquet') finds files at execution time, `union all by name` the parquet files
  read with union_by_name. An outer select casts every column to its contract type, so
    - a fresh checkout with no files yet builds (no "No files found that match the pattern"),
    - files lacking optional columns (tracks_played) still read, the missing columns being null,
    - columns the contract does not know are dropped,
    - the history's view (source_file: true) also names each row's file, `source_file` (a filter on it reads
      only those files: the incremental merge reads only the history files it has not seen).
  The glob inside the view is evaluated when the view is queried, so files landed after the run are seen;
  a directory that was empty at run time stays empty until the next dbt run recreates its view.
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

{% macro raw_view_pattern(table, data_dir) %}
  {#- table.path: a folder under data_dir, read as <folder>/*.parquet; table.file: one file in data_dir -#}
  {%- if table.file is defined -%}
    {{ return(data_dir ~ '/' ~ table.file) }}
  {%- else -%}
    {{ return(data_dir ~ '/' ~ table.path ~ '/*.parquet') }}
  {%- endif -%}
{% endmacro %}


{% macro raw_view_sql(table, pattern, found, schema='raw') %}
  {#- the view over `pattern`, which matched `found` files when the run started -#}
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
  {{ return(sql) }}
{% endmacro %}


{#
  Every view in three queries, however many tables: one counts the files of every pattern, one reads the
  fingerprints the views carry (their comment: the md5 of the statement that made them), one (re)creates only
  the views whose statement changed (a folder's first file, another DATA_DIR, a new contract column). A night's
  build, with nothing of that changed, writes no view: each query is a round trip through dbt, and each view
  written a change to the warehouse's catalog.
#}
{% macro create_raw_views() %}
  {%- if execute -%}
    {%- set views = [] -%}
    {%- set data_dir = absolute_path(raw_data_dir()) -%}
    {%- for table in raw_tables() -%}
      {%- do views.append({'schema': 'raw', 'table': table, 'pattern': raw_view_pattern(table, data_dir)}) -%}
    {%- endfor -%}
    {#- the offline gazetteer: schema `reference`, read from reference_dir() (in the repository, not DATA_DIR) -#}
    {%- set ref_dir = absolute_path(reference_dir()) -%}
    {%- for table in reference_tables() -%}
      {%- do views.append({'schema': 'reference', 'table': table, 'pattern': raw_view_pattern(table, ref_dir)}) -%}
    {%- endfor -%}
    {%- set counts = [] -%}
    {%- for view in views -%}
      {%- do counts.append('select ' ~ loop.index0 ~ ' as i, count(*) as n from glob(' ~ sql_string(view.pattern) ~ ')') -%}
    {%- endfor -%}
    {%- set found = {} -%}
    {%- for row in run_query(counts | join(' union all ')).rows -%}
      {%- do found.update({row[0] | int: row[1] | int}) -%}
    {%- endfor -%}
    {%- set fingerprints = {} -%}
    {%- for row in run_query(
        "select schema_name || '.' || view_name, comment from duckdb_views() "
        ~ "where database_name = current_database() and schema_name in ('raw', 'reference')").rows -%}
      {%- do fingerprints.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {%- set statements = ['create schema if not exists raw', 'create schema if not exists reference'] -%}
    {%- for view in views -%}
      {%- set name = view.schema ~ '.' ~ view.table.name -%}
      {%- set sql = raw_view_sql(view.table, view.pattern, found[loop.index0], view.schema) -%}
      {%- set fingerprint = 'rws-music view ' ~ local_md5(sql) -%}
      {%- if fingerprints.get(name) != fingerprint -%}
        {%- do statements.append(sql) -%}
        {%- do statements.append('comment on view ' ~ name ~ ' is ' ~ sql_string(fingerprint)) -%}
      {%- endif -%}
      {{ log(name ~ ': ' ~ found[loop.index0] ~ ' parquet file(s) in ' ~ view.pattern, info=true) }}
    {%- endfor -%}
    {%- if statements | length > 2 -%}
      {%- do run_query(statements | join(';\n')) -%}
    {%- endif -%}
  {%- endif -%}
{% endmacro %}
