-- Albums: every play's album id, else the album of its landed track.
select
    coalesce(plays.album_id, tracks.body -> '$.album' ->> 'id') as key,
    count(*) as plays
from spotify_plays as plays
left join spotify_landed_tracks as tracks on plays.album_id is null and plays.track_id = tracks.key
group by 1
