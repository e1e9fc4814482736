-- What each search key asks (`q`) and what a result must equal to be accepted: the title and artist keys of the
-- pair (of an ISRC shared by several pairs, the most-played one's), the ISRC of an `isrc:` key.
select
    isrc_key as key,
    isrc_query as q,
    title_key,
    artist_key,
    first_artist_key,
    substr(isrc_key, 6) as isrc
from int_spotify__track_search_keys
where isrc_key is not null
qualify row_number() over (partition by isrc_key order by play_count desc, pair_key) = 1

union all

select
    pair_key as key,
    pair_query as q,
    title_key,
    artist_key,
    first_artist_key,
    null as isrc
from int_spotify__track_search_keys

union all

select
    artist_search_key as key,
    artist_query as q,
    null as title_key,
    artist_key,
    null as first_artist_key,
    null as isrc
from int_spotify__artist_searches_matched
