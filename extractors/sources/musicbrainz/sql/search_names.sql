-- The name each name-search key stands for: a Spotify artist's id, or `name:<name>` of a name-only artist.
select
    spotify_artist_id as key,
    artist_name
from int_musicbrainz__spotify_artists_matched

union all

select
    search_key as key,
    artist_name
from int_musicbrainz__artist_names_matched
