-- Track searches (docs/name-matching.md): for each (artist, title) pair of the listens without a track id that
-- the history does not already give an id, its ISRC (`isrc:<ISRC>`) when it has one, else, or when that search
-- found nothing, the pair itself (`track:<artist key>|<title key>`); most-played pairs first.
select
    isrc_key as key,
    play_count as plays
from int_spotify__track_search_keys
where history_track_id is null and isrc_key is not null

union all

select
    pair_key as key,
    play_count as plays
from int_spotify__track_search_keys
where history_track_id is null and (isrc_key is null or coalesce(isrc_status <> 200, false))
