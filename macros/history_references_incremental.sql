{#
  int_history__references, incremental (docs/incremental.md, "The history's references"): `plays` adds up over
  history files, so the combinations are counted once per file and kept, one row per file and combination, in
  intermediate.listens_history_references (with the file's size and modification time, as the history's
  listing gives them). A build counts only the files that are new or changed since the last one, takes out
  the counts of the files changed or removed, and writes again only the combinations those files hold: their
  plays are the sums of their kept counts now. A night's file of 100 listens then costs its own rows, not
  every row of the history again (1.0 s at 1M listens, 7.6 s at 10M).
#}

{# the columns of a combination, as int_history__references has them #}
{% macro history_reference_columns() %}
  {{ return([
      'track_id', 'track_uri', 'track_isrc', 'track_name', 'album_id', 'album_uri', 'album', 'artist_id',
      'artist_mbid', 'artist',
  ]) }}
{% endmacro %}


{# SQL: the 64-bit hash of a combination (the columns of `alias`, else unqualified): it only picks the combinations
   written again, which are then added up by their columns #}
{% macro history_reference_hash(alias=none) %}
  {%- set qualified = [] -%}
  {%- for column in history_reference_columns() -%}
    {%- do qualified.append((alias ~ '.' if alias else '') ~ column) -%}
  {%- endfor -%}
  hash({{ qualified | join(', ') }})
{%- endmacro %}


{# the kept counts per file and combination #}
{% macro history_references_by_file() %}
  {{ return(listens_side_table('listens_history_references')) }}
{% endmacro %}


{#
  SQL: each combination's rows in the history files `files` selects (source_file, size, last_modified), per
  file; `only` (a list of file names, or none for every file) lets DuckDB open only those files
#}
{% macro history_references_count_sql(files, only=none) %}
    select
        history.source_file,
        files.size,
        files.last_modified,
        {%- for column in history_reference_columns() %}
        history.{{ column }},
        {%- endfor %}
        cast(count(*) as bigint) as plays
    from {{ ref('stg_history__tracks_played') }} as history
    inner join {{ files }} as files
        on files.source_file = history.source_file
    {%- if only is not none %}
    where history.source_file in ({% for file in only %}{{ sql_string(file) }}{{ ', ' if not loop.last }}{% endfor %})
    {%- endif %}
    group by all
{% endmacro %}


{#
  How int_history__references is built now (listens_incremental_mode): 'changes' turns into 'rebuild' when the
  kept counts are gone. Its pre-hook and its SQL both ask.
#}
{% macro history_references_mode() %}
  {%- set state = listens_incremental_mode() -%}
  {%- if state.mode == 'changes' and load_relation(api.Relation.create(
          database=this.database, schema=listens_state_schema(), identifier='listens_history_references')) is none -%}
    {{ return({'mode': 'rebuild', 'applied_at': none}) }}
  {%- endif -%}
  {{ return(state) }}
{% endmacro %}


{#
  pre-hook of int_history__references: brings the kept counts up to the history files now, and deletes the
  model's rows of every combination a new, changed or removed file holds. The model's SQL writes them again:
  each one's plays as they were (history_references_old), plus its counts in the new files
  (history_references_new), less those of the files gone (history_references_gone). Built whole (a first
  build, --full-refresh, a change to its code), every file is counted and the model adds up the kept counts.
#}
{% macro history_references_changes() %}
  {#- rendered at parse time too, with no warehouse to ask -#}
  {%- if not execute -%}
    {{ return('') }}
  {%- endif -%}
  {%- set state = history_references_mode() -%}
  {%- set by_file = history_references_by_file() -%}
    create or replace temp table history_references_files_now as {{ listens_history_files_sql() }};
  {%- if state.mode != 'changes' %}
    create or replace table {{ by_file }} as
    {{ history_references_count_sql('history_references_files_now') }};
    {%- if state.mode == 'rebuild' %}
    delete from {{ this }};
    {%- endif %}
  {%- else %}
    {#- the files added or changed (new), and changed or removed (gone), by name, size and modification time -#}
    {%- set changed = run_query(
        'with now_files as (' ~ listens_history_files_sql() ~ '), '
        ~ 'kept as (select distinct source_file, size, last_modified from ' ~ by_file ~ ') '
        ~ "select source_file, 'new' from (select * from now_files except select * from kept) "
        ~ "union all select source_file, 'gone' from (select * from kept except select * from now_files) "
        ~ 'order by 2, 1'
    ).rows -%}
    {%- set new_files, gone_files = [], [] -%}
    {%- for row in changed -%}
      {%- do (new_files if row[1] == 'new' else gone_files).append(row[0]) -%}
    {%- endfor %}
    {#- the counts taken out, put in, and the model's rows they change (temporary tables: the model's SQL adds
        them up) -#}
    create or replace temp table history_references_gone as
    select {{ history_reference_columns() | join(', ') }}, plays
    from {{ by_file }}
    {%- if gone_files %}
    where source_file in ({% for file in gone_files %}{{ sql_string(file) }}{{ ', ' if not loop.last }}{% endfor %})
    {%- else %}
    where false
    {%- endif %};
    create or replace temp table history_references_new as
    {%- if new_files %}
    {{ history_references_count_sql('history_references_files_now', new_files) }};
    {%- else %}
    select * from {{ by_file }} where false;
    {%- endif %}
    create or replace temp table history_references_old as
    select * from {{ this }} where false;
    {%- if gone_files or new_files %}
    {%- if gone_files %}
    delete from {{ by_file }}
    where source_file in ({% for file in gone_files %}{{ sql_string(file) }}{{ ', ' if not loop.last }}{% endfor %});
    {%- endif %}
    insert into {{ by_file }} select * from history_references_new;
    create or replace temp table history_references_affected as
    select {{ history_reference_hash() }} as reference_hash from history_references_gone
    union
    select {{ history_reference_hash() }} as reference_hash from history_references_new;
    insert into history_references_old
    select * from {{ this }}
    where {{ history_reference_hash() }} in (select reference_hash from history_references_affected);
    delete from {{ this }}
    where {{ history_reference_hash() }} in (select reference_hash from history_references_affected);
    {%- endif %}
  {%- endif %}
{% endmacro %}
