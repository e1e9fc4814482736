-- The latest found answer of every landed track (view spotify_landed_tracks): it names the artist and album
-- of the plays that have only a track id.
select
    key,
    body
from landed_spotify_tracks
where status = 200
qualify row_number() over (partition by key order by fetched_at desc) = 1
