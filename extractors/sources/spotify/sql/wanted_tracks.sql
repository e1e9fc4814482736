-- Tracks: those of the plays that lack an artist or album id (the track answer gives them).
select
    track_id as key,
    count(*) as plays
from spotify_plays
where track_id is not null and (artist_id is null or album_id is null)
group by track_id
