with source as (

    select * from {{ source('history', 'tracks_played') }}

),

renamed as (

    select
        cast(user_id as varchar) as user_id,
        cast(track_id as varchar) as track_id,
        cast(track_uri as varchar) as track_uri,
        cast(track_isrc as varchar) as track_isrc,
        cast(track_name as varchar) as track_name,
        cast(album_id as varchar) as album_id,
        cast(album_uri as varchar) as album_uri,
        cast(album as varchar) as album,
        cast(artist_id as varchar) as artist_id,
        cast(artist_mbid as varchar) as artist_mbid,
        cast(artist as varchar) as artist,
        cast(duration_ms as bigint) as duration_ms,
        cast(played_at as timestamp) as played_at,
        cast(popularity as double) as popularity,
        cast(request_cursor as varchar) as request_cursor,
        cast(play_source as varchar) as play_source,
        cast(ms_played as bigint) as ms_played,
        cast(started_at as timestamp) as started_at,
        cast(reason_start as varchar) as reason_start,
        cast(reason_end as varchar) as reason_end,
        cast(skipped as boolean) as skipped,
        cast(shuffle as boolean) as shuffle,
        cast(offline as boolean) as offline,
        cast(platform as varchar) as platform,
        cast(conn_country as varchar) as conn_country,
        cast(source_user as varchar) as source_user,
        source_file
    from source

)

select * from renamed
