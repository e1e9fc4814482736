{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ history_references_changes() }}",
    post_hook="{{ listens_record_applied() }}",
) }}
-- One row per distinct combination of the ids and names a row of the listening history gives (track, album,
-- artist, ISRC, MBID), with `plays`: how many rows of the history give exactly it. What the matching rules read
-- of the history (the artist maps, the Spotify search keys, and every "what is missing" of the extractors):
-- they count plays by summing `plays`, never by counting rows. Summing is additive over files, so the
-- extractors keep this table per history file as a cache and add up only the files they have not seen
-- (extractors/history_summary.py, docs/rules.md): the rules see exactly what dbt computes here.
-- dbt keeps it the same way (macros/history_references_incremental.sql): the counts per file and combination
-- are kept, a build counts only the new or changed files, and writes again only the combinations they hold.
{%- if execute is defined %}
-- depends_on: {{ ref('stg_history__tracks_played') }}
{%- set state = history_references_mode() %}
with counts as (
    {%- if state.mode == 'changes' %}

    -- the combinations of the files new, changed or removed: as they were, and what those files add or take out
    select * exclude (plays), plays from history_references_old
    union all
    select * exclude (source_file, size, last_modified, plays), plays from history_references_new
    union all
    select * exclude (plays), -plays as plays from history_references_gone
    {%- else %}

    select * exclude (source_file, size, last_modified, plays), plays
    from {{ history_references_by_file() }}
    {%- endif %}

),

final as (

    select
        {%- for column in history_reference_columns() %}
        {{ column }},
        {%- endfor %}
        cast(sum(plays) as bigint) as plays
    from counts
    group by all
    having sum(plays) > 0

)

select * from final
{%- else %}
-- Outside dbt (no `execute`): the extractors render this model over one history file, whose counts they keep
-- (extractors/history_summary.py); dbt's pre-hook counts each file the same way
-- (history_references_count_sql, the same columns).
with plays as (

    select * from {{ ref('stg_history__tracks_played') }}

),

final as (

    select
        track_id,
        track_uri,
        track_isrc,
        track_name,
        album_id,
        album_uri,
        album,
        artist_id,
        artist_mbid,
        artist,
        cast(count(*) as bigint) as plays
    from plays
    group by all

)

select * from final
{%- endif %}
