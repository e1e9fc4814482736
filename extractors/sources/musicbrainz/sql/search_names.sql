-- The name each name-search key stands for: a Spotify artist's id, or `name:<name>` of a name-only artist.
select
    spotify_artist_id as key,
    artist_name
from int_mbz_spotify_artist_map

union all

select
    search_key as key,
    artist_name
from int_mbz_name_artist_map
