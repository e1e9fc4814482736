-- Name searches: every Spotify artist still unmatched once its URL was tried, and every name-only artist of
-- the history (key `name:<name>`); names longer than {{ max_search_name }} characters are not searched.
select
    artists.spotify_artist_id as key,
    artists.play_count as plays
from int_musicbrainz__spotify_artists_matched as artists
semi join landed_musicbrainz_url as landed on artists.spotify_artist_id = landed.key
where
    artists.matched_mbid is null
    and regexp_full_match(artists.spotify_artist_id, '{{ spotify_id_re }}')
    and artists.artist_name is not null
    and length(artists.artist_name) <= {{ max_search_name }}

union all

select
    search_key as key,
    play_count as plays
from int_musicbrainz__artist_names_matched
where not is_spotify_name and length(artist_name) <= {{ max_search_name }}
