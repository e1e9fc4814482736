-- One row per play (a listen of at least min_play_seconds, or of unknown length; shorter listens stay in
-- fact_track_played), denormalised for dashboards: when (UTC and local), who, what, which genre, where the
-- artist comes from, how long it was listened to. Also written to <DATA_DIR>/exports/report_track_plays.parquet.
with plays as (

    select * from {{ ref('fact_track_played') }}

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
