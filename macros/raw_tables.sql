{#
  The raw relations (schema `raw`) and where their parquet lands: the history (src/tracks_played), and one
  relation per table of every source declared in models/staging/<source>/_<source>__sources.yml with
  `schema: raw`, at raw/<source>/<table>/ under DATA_DIR. A new source's raw views come from its sources file
  alone; tests/test_registry.py keeps those tables equal to the extractors' registry (each source's endpoints).
#}

{% macro landed_columns() %}
  {#- The landed-raw contract (docs/contracts.md, "Landed answers: the raw tables"): one row per requested key. -#}
  {{ return([
      ('key', 'varchar'),
      ('status', 'smallint'),
      ('fetched_at', 'timestamptz'),
      ('body', 'json'),
  ]) }}
{% endmacro %}


{% macro tracks_played_columns() %}
  {#- The listening-history contract (docs/contracts.md, "The history: tracks_played"), every optional column included. -#}
  {{ return([
      ('user_id', 'varchar'),
      ('track_id', 'varchar'),
      ('track_uri', 'varchar'),
      ('track_isrc', 'varchar'),
      ('track_name', 'varchar'),
      ('album_id', 'varchar'),
      ('album_uri', 'varchar'),
      ('album', 'varchar'),
      ('artist_id', 'varchar'),
      ('artist_mbid', 'varchar'),
      ('artist', 'varchar'),
      ('duration_ms', 'bigint'),
      ('played_at', 'timestamp'),
      ('popularity', 'double'),
      ('request_cursor', 'varchar'),
      ('play_source', 'varchar'),
      ('ms_played', 'bigint'),
      ('started_at', 'timestamp'),
      ('reason_start', 'varchar'),
      ('reason_end', 'varchar'),
      ('skipped', 'boolean'),
      ('shuffle', 'boolean'),
      ('offline', 'boolean'),
      ('platform', 'varchar'),
      ('conn_country', 'varchar'),
      ('source_user', 'varchar'),
  ]) }}
{% endmacro %}


{% macro raw_tables() %}
  {#- graph.sources is complete at execution time (the on-run-start hook that calls this) -#}
  {#- the history's rows also name their file (source_file): a build reads only the files it has not seen -#}
  {%- set tables = [{
      'name': 'tracks_played', 'path': 'src/tracks_played', 'columns': tracks_played_columns(), 'source_file': true,
  }] -%}
  {%- for node in graph.sources.values() | sort(attribute='unique_id') -%}
    {%- if node.schema == 'raw' and node.source_name != 'history' -%}
      {%- do tables.append({
          'name': node.identifier,
          'path': 'raw/' ~ node.source_name ~ '/' ~ node.name,
          'columns': landed_columns(),
      }) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(tables) }}
{% endmacro %}


{% macro reference_tables() %}
  {#-
    The offline gazetteer (GeoNames, written by scripts/make_reference.py): one parquet file per relation in
    the reference folder (reference_dir()), read as views in schema `reference`; an absent file gives an
    empty, typed view.
  -#}
  {{ return([
      {'name': 'gazetteer_cities', 'file': 'gazetteer_cities.parquet', 'columns': [
          ('geonameid', 'bigint'),
          ('name', 'varchar'),
          ('country_code', 'varchar'),
          ('admin1_code', 'varchar'),
          ('state_code', 'varchar'),
          ('subdivision_code', 'varchar'),
          ('latitude', 'double'),
          ('longitude', 'double'),
          ('population', 'bigint'),
      ]},
      {'name': 'gazetteer_names', 'file': 'gazetteer_names.parquet', 'columns': [
          ('geonameid', 'bigint'),
          ('name_key', 'varchar'),
      ]},
  ]) }}
{% endmacro %}


{% macro reference_dir() %}
  {#-
    The folder of the offline gazetteer: the dbt var `reference_dir` (`--vars '{reference_dir: ...}'`), else
    the environment variable REFERENCE_DIR (the geo extractor reads it too), else `data/reference` (in the
    repository, relative to the directory dbt runs in; not under DATA_DIR).
  -#}
  {%- set folder = (var('reference_dir', none) or env_var('REFERENCE_DIR', '') or 'data/reference') | string | trim -%}
  {%- if folder | length > 1 -%}
    {%- set folder = folder.rstrip('/') -%}
  {%- endif -%}
  {{ return(folder or 'data/reference') }}
{% endmacro %}


{% macro raw_data_dir() %}
  {#- DATA_DIR as the extractors see it (default `data`, relative to the directory dbt runs in). -#}
  {%- set data_dir = env_var('DATA_DIR', 'data') | trim -%}
  {%- if data_dir | length > 1 -%}
    {%- set data_dir = data_dir.rstrip('/') -%}
  {%- endif -%}
  {{ return(data_dir or 'data') }}
{% endmacro %}


{% macro sql_string(value) %}
  {#- A SQL string literal (single quotes doubled). -#}
  {{ return("'" ~ (value | string).replace("'", "''") ~ "'") }}
{% endmacro %}
