-- For `status`: the history's rows by how Spotify knows their track or artist (docs/name-matching.md):
-- `ids` (the row carries a Spotify track or artist id, or an artist MBID), a search route of
-- int_spotify__track_searches_matched (history_name, isrc_search, track_search), `artist_search`, `not found`
-- (searched: nothing accepted), `not asked yet`, `no title` (nothing to search by).
with named as (

    select
        {{ is_name_only(spotify_track_id('track_id', 'track_uri'), 'artist_id', 'artist_mbid') }} as name_only,
        {{ track_search_key('artist', 'track_name') }} as pair_key,
        {{ artist_search_key('artist') }} as artist_search_key,
        plays
    from int_history__references

),

routed as (

    select
        case
            when not named.name_only then 'ids'
            when named.pair_key is null then 'no title'
            when pairs.match_route is not null then pairs.match_route
            when artists.artist_id is not null then 'artist_search'
            when artists.needs_search or pairs.pair_searched then 'not found'
            else 'not asked yet'
        end as route,
        named.plays
    from named
    left join int_spotify__track_searches_matched as pairs
        on named.name_only and pairs.pair_key = named.pair_key
    left join int_spotify__artist_searches_matched as artists
        on named.name_only and artists.artist_search_key = named.artist_search_key

)

select
    route,
    cast(sum(plays) as bigint) as plays
from routed
group by route
