-- Each play's Spotify ids (view spotify_plays); an id missing but present in its uri counts too (a malformed
-- one is then reported by its text; a uri of another kind, e.g. `spotify:local:…`, gives none).
select
    artist_id,
    coalesce(track_id, nullif(regexp_extract(track_uri, '^spotify:track:(.*)$', 1), '')) as track_id,
    coalesce(album_id, nullif(regexp_extract(album_uri, '^spotify:album:(.*)$', 1), '')) as album_id
from tracks_played
