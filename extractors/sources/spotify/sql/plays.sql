-- The Spotify ids of each distinct row of the history (table spotify_plays, over int_history__references:
-- `plays` history rows each, so plays are counted by sum(plays)); an id missing but present in its uri counts
-- too (a malformed one is then reported by its text; a uri of another kind, e.g. `spotify:local:…`, gives
-- none). `album_group`: the album the history names (album artist and album title, compared by match_key; null
-- without an album name), to ask one track per album first.
select
    artist_id,
    coalesce(track_id, nullif(regexp_extract(track_uri, '^spotify:track:(.*)$', 1), '')) as track_id,
    coalesce(album_id, nullif(regexp_extract(album_uri, '^spotify:album:(.*)$', 1), '')) as album_id,
    {{ match_key('artist') }} || '|' || {{ match_key('album') }} as album_group,
    plays
from int_history__references
