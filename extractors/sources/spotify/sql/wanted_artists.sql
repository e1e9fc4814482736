-- Artists: every play's artist id, else the first artist of its landed track.
select
    coalesce(plays.artist_id, tracks.body -> '$.artists[0]' ->> 'id') as key,
    count(*) as plays
from spotify_plays as plays
left join spotify_landed_tracks as tracks on plays.artist_id is null and plays.track_id = tracks.key
group by 1
