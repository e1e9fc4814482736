-- Names of artists still unmatched that are too long to search by name (wanted_artist_search leaves them out).
select artist_name
from int_musicbrainz__spotify_artists_matched
where matched_mbid is null and length(artist_name) > {{ max_search_name }}

union all

select artist_name
from int_musicbrainz__artist_names_matched
where not is_spotify_name and length(artist_name) > {{ max_search_name }}

order by artist_name
