-- The plays of the landed answers, in the contract's columns (the first artist goes to artist_id). The API
-- says when a listen ended (played_at), not how long it lasted: started_at and ms_played stay null. An item
-- without a track name or artist (Spotify sends `track: null` for some) is not a play of the history.
-- Parameters: $1 the user id, $2 the request's cursor, $3 the landed file.
select
    $1 as user_id,
    body -> 'track' ->> 'id' as track_id,
    body -> 'track' ->> 'uri' as track_uri,
    body -> 'track' -> 'external_ids' ->> 'isrc' as track_isrc,
    body -> 'track' ->> 'name' as track_name,
    body -> 'track' -> 'album' ->> 'id' as album_id,
    body -> 'track' -> 'album' ->> 'uri' as album_uri,
    body -> 'track' -> 'album' ->> 'name' as album,
    body -> 'track' -> 'artists' -> 0 ->> 'id' as artist_id,
    body -> 'track' -> 'artists' -> 0 ->> 'name' as artist,
    try_cast(body -> 'track' ->> 'duration_ms' as bigint) as duration_ms,
    cast(cast(body ->> 'played_at' as timestamptz) at time zone 'UTC' as timestamp) as played_at,
    try_cast(body -> 'track' ->> 'popularity' as double) as popularity,
    $2 as request_cursor,
    'spotify_recently_played' as play_source,
    null::bigint as ms_played,
    null::timestamp as started_at
from read_parquet($3)
where status = 200
    and (body -> 'track' ->> 'name') is not null
    and (body -> 'track' -> 'artists' -> 0 ->> 'name') is not null
