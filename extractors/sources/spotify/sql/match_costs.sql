-- For `status`: what the searches not made yet may add, at most: pairs whose ISRC is still to be asked may need
-- their name search after it (`fallbacks`), and artists none of whose pairs matched yet may need one artist
-- search once their pairs are all searched (`artists`).
with fallbacks as (

    select count(*) as n
    from int_spotify__track_search_keys
    where history_track_id is null and isrc_key is not null and isrc_status is null

),

artists as (

    select count(*) as n
    from int_spotify__artist_searches_matched
    where artist_id is null and not needs_search and matched_pairs = 0 and unsearched_pairs > 0

)

select
    fallbacks.n as fallbacks,
    artists.n as artists
from fallbacks
cross join artists
