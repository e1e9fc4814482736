{#
  Helpers of the star schema (models/marts/star) and the reports (models/reports).
#}

{#
  The play key of the listening history, the one the importers deduplicate by (extractors/sql/fresh_plays.sql):
  (user_id, played_at truncated to the second, coalesce(track_id, track_name), artist, ms_played,
  play_source), joined with chr(31).
#}
{% macro play_key_text(user_id='user_id', played_at='played_at', track_id='track_id', track_name='track_name',
                       artist='artist', ms_played='ms_played', play_source='play_source') %}
    concat_ws(
        chr(31),
        coalesce({{ user_id }}, ''),
        strftime(date_trunc('second', {{ played_at }}), '%Y-%m-%dT%H:%M:%S'),
        coalesce({{ track_id }}, {{ track_name }}),
        coalesce({{ artist }}, ''),
        coalesce(cast({{ ms_played }} as varchar), ''),
        coalesce({{ play_source }}, '')
    )
{% endmacro %}


{#
  A UTC TIMESTAMP (no time zone, as the history stores it) as wall-clock TIMESTAMP in the listener's home zone,
  listener_timezone() (macros/local_time.sql), without the travel rule: local_time(col, conn_country) has it.
#}
{% macro to_local_time(col) %}
    {{ local_time(col) }}
{% endmacro %}


{#
  Creates the folder `path` when it does not exist (its parent must exist): DuckDB's partitioned COPY creates
  its target folder, and with no rows writes no file into it. `overwrite_or_ignore` keeps what is there.
#}
{% macro ensure_directory(path) %}
    copy (select 'none' as part, 1 as value where false)
    to {{ sql_string(path) }} (format parquet, partition_by (part), overwrite_or_ignore true)
{% endmacro %}


{#
  The folder the reports are exported to: <DATA_DIR>/exports (DATA_DIR as raw_data_dir() reads it).
#}
{% macro exports_dir() %}
    {{ return(raw_data_dir() ~ '/exports') }}
{% endmacro %}


{#
  Post-hook of a report: writes the relation to <DATA_DIR>/exports/<model name>.parquet (creating the folder
  first), replacing the previous export. An empty relation gives a parquet file with its columns and no rows.
  One hook of two statements: every query a hook runs is a round trip through dbt, twenty reports a build.
#}
{% macro export_parquet(relation) %}
    {%- set folder = exports_dir() -%}
    {{ ensure_directory(folder) }};
    copy (select * from {{ relation }})
    to {{ sql_string(folder ~ '/' ~ relation.identifier ~ '.parquet') }} (format parquet)
{% endmacro %}
