-- Tracks: those of the plays that lack an artist or album id (the track answer gives them), unless the track
-- is known already (int_spotify__tracks: a lookup, a search result, or a landed album's track list).
select
    plays.track_id as key,
    cast(sum(plays.plays) as bigint) as plays
from spotify_plays as plays
anti join int_spotify__tracks as known on known.track_id = plays.track_id
where plays.track_id is not null and (plays.artist_id is null or plays.album_id is null)
group by plays.track_id
