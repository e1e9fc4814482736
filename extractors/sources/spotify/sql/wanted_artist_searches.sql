-- Artist searches (docs/name-matching.md): an artist of the name-only listens none of whose pairs a track search
-- matched, every pair searched, and no known Spotify track or artist of that name (key `artist:<artist key>`).
select
    artist_search_key as key,
    play_count as plays
from int_spotify__artist_searches_matched
where needs_search
