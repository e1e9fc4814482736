-- Album track-list pages beyond the first 50 (key `<album id>:<offset>`, `GET /v1/albums/{id}/tracks`): only of
-- landed albums with more tracks than their answer listed, when the history still wants tracks of that album
-- (a track of the same album_group known to be on it, another still unknown).
with wanted as (

    {{ wanted_tracks }}

),

wanted_groups as (

    select
        plays.album_group,
        sum(wanted.plays) as plays
    from wanted
    inner join spotify_plays as plays on plays.track_id = wanted.key
    where plays.album_group is not null
    group by plays.album_group

),

group_albums as (

    select distinct
        plays.album_group,
        known.album_id
    from spotify_plays as plays
    inner join int_spotify__tracks as known on known.track_id = plays.track_id
    where plays.album_group is not null and known.album_id is not null

),

albums as (

    select
        key as album_id,
        try_cast(body ->> '$.tracks.total' as integer) as total,
        cast(coalesce(json_array_length(body -> '$.tracks.items'), 0) as integer) as listed
    from landed_spotify_albums
    where status = 200
    qualify row_number() over (partition by key order by fetched_at desc) = 1

)

select
    albums.album_id || ':' || cast(page_offset.generate_series as varchar) as key,
    max(wanted_groups.plays) as plays
from albums
inner join group_albums on group_albums.album_id = albums.album_id
inner join wanted_groups on wanted_groups.album_group = group_albums.album_group
cross join generate_series(albums.listed, albums.total - 1, 50) as page_offset
where albums.total > albums.listed and albums.listed > 0
group by albums.album_id, page_offset.generate_series
