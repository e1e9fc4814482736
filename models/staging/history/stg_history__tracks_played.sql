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
        cast(play_source as varchar) as play_source
    from source

)

select * from renamed
