{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ report_plays_changes(
        ref('fact_track_played'), ref('int_plays_resolved'),
        ref('dim_artist'), ref('dim_album'), ref('dim_track'), ref('dim_date'), ref('dim_time')
    ) }}",
    post_hook=[
        "{{ report_plays_dims_seen(ref('fact_track_played')) }}",
        "{{ listens_record_applied('fact_track_played') }}",
    ],
) }}
{%- set state = listens_incremental_mode('fact_track_played') %}
-- One row per play (a listen of at least min_play_seconds, or of unknown length; shorter listens stay in
-- fact_track_played), denormalised for dashboards: when (UTC and local), who, what, which genre, where the
-- artist comes from, how long it was listened to. Also written to <DATA_DIR>/exports/report_track_plays.parquet.
-- Incremental (docs/incremental.md): a build writes again the plays whose listen fact_track_played rewrote, and
-- the plays of the dim rows that changed (report_plays_changes, its pre-hook, deleted them).
with plays as (

    select * from {{ ref('fact_track_played') }}
    {%- if state.mode == 'changes' %}
    where play_key in (select play_key from {{ listens_side_table('listens_report_plays_recompute') }})
    {%- endif %}

),

artists as (

    select * from {{ ref('dim_artist') }}

),

albums as (

    select * from {{ ref('dim_album') }}

),

tracks as (

    select * from {{ ref('dim_track') }}

),

dates as (

    select * from {{ ref('dim_date') }}

),

times as (

    select * from {{ ref('dim_time') }}

),

final as (

    select
        plays.play_key,
        plays.played_at,
        plays.played_at_local,
        dates.date_day as local_date,
        times.time_label as local_time,
        dates.year,
        dates.month,
        dates.month_name,
        dates.weekday_name,
        dates.is_weekend,
        times.hour,
        times.time_of_day,
        artists.artist_id,
        artists.artist_name,
        albums.album_id,
        albums.album_name,
        albums.release_year,
        tracks.track_id,
        tracks.track_name,
        tracks.length_bucket,
        artists.primary_genre as genre,
        artists.popularity_group,
        artists.continent,
        artists.country_code,
        artists.country_name,
        artists.state_code,
        artists.city_name,
        artists.lat,
        artists.long,
        plays.started_at,
        plays.duration_ms,
        plays.ms_played,
        plays.minutes_played,
        plays.skipped,
        plays.platform,
        plays.conn_country,
        plays.sources
    from plays
    left join artists
        on artists.artist_key = plays.artist_key
    left join albums
        on albums.album_key = plays.album_key
    left join tracks
        on tracks.track_key = plays.track_key
    left join dates
        on dates.date_key = plays.date_key
    left join times
        on times.time_key = plays.time_key
    where plays.counts_as_play

)

select * from final
