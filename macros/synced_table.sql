{#
  Materialization `synced_table`: a table whose rebuild writes only the rows that changed.

  A `table` writes every row on every build: after a night's 100 listens, dim_track's 180,000 rows, which
  have not changed, are written to the warehouse again (with the old copy dropped and both checkpointed), and
  writing is most of what such a model costs. A `synced_table` holds exactly the rows a `table` would:

  - Its full path is the `table`'s (dbt-duckdb's: a new table under a temporary name, contracts enforced,
    then swapped in), taken on the first build, on `--full-refresh`, and whenever the table does not carry the
    fingerprint of the model's compiled SQL, its contract and the types the SQL gives (its comment, written
    by the full path): a change to the code, or to a column type upstream, rebuilds it whole.
  - Otherwise the model's rows are computed into a temporary table (memory, not the warehouse), and the two
    are compared by the 64-bit hashes of their rows, counted with multiplicity: `changed` holds the hashes
    whose count differs. The rows of the table with those hashes are deleted and the model's rows with those
    hashes inserted. Every row outside `changed` has as many copies on both sides, so the table then holds
    exactly the model's rows, whatever the hashes of other rows. A row that changed yet kept its hash
    (a 64-bit collision, about 1 in 1.8e19 per changed row) would be missed.
  - With nothing changed (most dims and enrichment tables after a night's listens) nothing is written.

  The temporary tables belong to the model's connection, so models built side by side (threads) do not meet.
#}

{% macro synced_table_fingerprint(compiled_code, natural_types) %}
  {#- what the full path built the table from: the SQL, the contract, the column types the SQL gives -#}
  {%- set contract = config.get('contract') -%}
  {%- set columns = [] -%}
  {%- for name, column in model.get('columns', {}).items() -%}
    {%- do columns.append(name ~ ':' ~ column.get('data_type') ~ ':' ~ (column.get('constraints') | string)) -%}
  {%- endfor -%}
  {{ return('rws-music synced ' ~ local_md5(compiled_code ~ '|' ~ (contract | string) ~ '|' ~ (columns | join(','))) ~ ' ' ~ natural_types) }}
{% endmacro %}


{% materialization synced_table, adapter='duckdb' %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}

  {#- one query: the types the model's SQL gives (bound, not run), and the table's fingerprint and columns
      ('|'-separated: a type may hold commas, DECIMAL(18,3)) -#}
  {%- set described = run_query(
      "with model_types as (select md5(string_agg(column_name || ' ' || column_type, ', ')) as types from (describe "
      ~ compiled_code ~ "\n)), "
      ~ "existing as (select comment from duckdb_tables() where database_name = " ~ sql_string(this.database)
      ~ " and schema_name = " ~ sql_string(this.schema) ~ " and table_name = " ~ sql_string(this.identifier) ~ "), "
      ~ "table_columns as (select string_agg(column_name, '|' order by column_index) as names, "
      ~ "string_agg(data_type, '|' order by column_index) as types from duckdb_columns() where database_name = "
      ~ sql_string(this.database) ~ " and schema_name = " ~ sql_string(this.schema) ~ " and table_name = "
      ~ sql_string(this.identifier) ~ ") "
      ~ "select model_types.types, (select comment from existing), table_columns.names, table_columns.types from model_types, table_columns"
  ).rows[0] -%}
  {%- set fingerprint = synced_table_fingerprint(compiled_code, described[0]) -%}
  {%- set sync = existing_relation is not none and existing_relation.is_table and not should_full_refresh()
      and described[1] == fingerprint -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {%- if sync -%}
    {%- set new_rows = adapter.quote(this.identifier ~ '__synced_new') -%}
    {%- set changed = adapter.quote(this.identifier ~ '__synced_changed') -%}
    {%- set names = [] -%}
    {%- set cast_names = [] -%}
    {%- set types = described[3].split('|') -%}
    {%- for name in described[2].split('|') -%}
      {%- do names.append(adapter.quote(name)) -%}
      {%- do cast_names.append('cast(' ~ adapter.quote(name) ~ ' as ' ~ types[loop.index0] ~ ')') -%}
    {%- endfor -%}
    {%- set target_hash = 'hash(' ~ names | join(', ') ~ ')' -%}
    {%- set new_hash = 'hash(' ~ cast_names | join(', ') ~ ')' -%}
    {% call statement('main') -%}
      create or replace temp table {{ new_rows }} as
      {{ compiled_code }}
      ;
      create or replace temp table {{ changed }} as
      select row_hash
      from (
          select {{ target_hash }} as row_hash, 1 as side from {{ target_relation }}
          union all
          select {{ new_hash }} as row_hash, -1 as side from {{ new_rows }}
      ) as both_sides
      group by row_hash
      having sum(side) <> 0
    {%- endcall %}
    {%- if run_query('select count(*) from ' ~ changed).rows[0][0] > 0 -%}
      {% call statement('write_changes') -%}
        delete from {{ target_relation }} where {{ target_hash }} in (select row_hash from {{ changed }});
        insert into {{ target_relation }} by name
        select * from {{ new_rows }} where {{ new_hash }} in (select row_hash from {{ changed }})
      {%- endcall %}
    {%- endif -%}
    {% do run_query('drop table ' ~ new_rows ~ '; drop table ' ~ changed) %}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {{ adapter.commit() }}
  {%- else -%}
    {#- dbt-duckdb's table materialization: a new table under a temporary name, then swapped in -#}
    {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
    {%- set preexisting_intermediate_relation = load_cached_relation(intermediate_relation) -%}
    {%- set backup_relation_type = 'table' if existing_relation is none else existing_relation.type -%}
    {%- set backup_relation = make_backup_relation(target_relation, backup_relation_type) -%}
    {%- set preexisting_backup_relation = load_cached_relation(backup_relation) -%}
    {{ drop_relation_if_exists(preexisting_intermediate_relation) }}
    {{ drop_relation_if_exists(preexisting_backup_relation) }}
    {% call statement('main') -%}
      {{ create_table_as(False, intermediate_relation, compiled_code) }}
    {%- endcall %}
    {% if existing_relation is not none %}
      {{ adapter.rename_relation(existing_relation, backup_relation) }}
    {% endif %}
    {{ adapter.rename_relation(intermediate_relation, target_relation) }}
    {% do run_query('comment on table ' ~ target_relation ~ ' is ' ~ sql_string(fingerprint)) %}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {{ adapter.commit() }}
    {{ drop_relation_if_exists(backup_relation) }}
  {%- endif -%}

  {{ run_hooks(post_hooks, inside_transaction=False) }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
