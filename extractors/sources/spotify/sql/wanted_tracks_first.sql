-- Tracks, one per album first: of the tracks wanted_tracks wants, the most-played one of each album the history
-- names (album_group) of which no track is known yet. Its answer gives the album id; the album's answer lists the
-- album's tracks, so the album's other tracks need no request of their own (docs/name-matching.md). A track
-- without an album name is its own group.
with wanted as (

    {{ wanted_tracks }}

),

grouped as (

    select
        plays.track_id,
        max(plays.album_group) as album_group
    from spotify_plays as plays
    where plays.track_id is not null
    group by plays.track_id

),

known_groups as (

    select distinct plays.album_group
    from spotify_plays as plays
    semi join int_spotify__tracks as known on known.track_id = plays.track_id
    where plays.album_group is not null

)

select
    wanted.key,
    wanted.plays
from wanted
inner join grouped on grouped.track_id = wanted.key
anti join known_groups on known_groups.album_group = grouped.album_group
qualify row_number() over (
        partition by coalesce(grouped.album_group, wanted.key) order by wanted.plays desc, wanted.key
    ) = 1
