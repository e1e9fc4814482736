{{ config(materialized='synced_table') }}
-- One row per artist the history knows only by name (a play with no Spotify artist, not even through its
-- landed track, and no MBID: account data, scrobbles), with its MusicBrainz artist: the one of the Spotify
-- artist of the same name when the history has one (`is_spotify_name`: the extractor does not search those),
-- else the one its name search found (score >= 90 and the same normalized name; the extractor lands those
-- searches under `search_key` = 'name:<normalized name>'; ties: highest score, MusicBrainz's order, smallest
-- MBID). A rule read by dbt and by the MusicBrainz extractor alike (extractors/rules.py, docs/rules.md).
with artist_plays as (

    {{ artist_plays(
        ref('int_history__references'), ref('int_spotify__tracks'),
        ref('int_spotify__track_searches_matched'), ref('int_spotify__artist_searches_matched')
    ) }}

),

searches as (

    select * from {{ ref('stg_musicbrainz__artist_searches') }}

),

spotify_map as (

    select * from {{ ref('int_musicbrainz__spotify_artists_matched') }}

),

mbz_artists as (

    select * from {{ ref('stg_musicbrainz__artists') }}

),

-- a name that is also a Spotify artist's takes that artist's MBID
by_spotify_name as (

    select
        {{ normalized_name('artist_name') }} as name_key,
        matched_mbid,
        match_method
    from spotify_map
    where artist_name is not null
    qualify
        row_number() over (
            partition by {{ normalized_name('artist_name') }} order by play_count desc, spotify_artist_id
        ) = 1

),

name_plays as (

    select *
    from artist_plays
    where spotify_artist_id is null
        and artist_mbid is null
        and nullif(play_name_key, '') is not null

),

name_only as (

    select
        play_name_key as name_key,
        cast(sum(plays) as bigint) as play_count
    from name_plays
    group by 1

),

-- the name as the history spells it most often (ties: the smallest)
spellings as (

    select
        play_name_key as name_key,
        play_artist_name as artist_name
    from name_plays
    group by 1, 2
    qualify row_number() over (partition by play_name_key order by sum(plays) desc, play_artist_name) = 1

),

matches as (

    select
        searches.spotify_artist_id as search_key,
        searches.artist_mbid,
        searches.score
    from searches
    where searches.spotify_artist_id like 'name:%'
        and {{ name_search_accepts(
            'searches.score', 'searches.name', 'substr(searches.spotify_artist_id, 6)', 'searches.batched'
        ) }}
    qualify
        row_number() over (
            partition by searches.spotify_artist_id
            order by searches.score desc, searches.result_position, searches.artist_mbid
        ) = 1

),

matched as (

    select
        name_only.name_key,
        'name:' || name_only.name_key as search_key,
        spellings.artist_name,
        name_only.play_count,
        by_spotify_name.name_key is not null as is_spotify_name,
        case when by_spotify_name.name_key is not null then by_spotify_name.matched_mbid else matches.artist_mbid
        end as matched_mbid,
        case
            when by_spotify_name.name_key is not null then by_spotify_name.match_method
            when matches.artist_mbid is not null then 'name_search'
        end as match_method
    from name_only
    inner join spellings
        on spellings.name_key = name_only.name_key
    left join by_spotify_name
        on by_spotify_name.name_key = name_only.name_key
    left join matches
        on matches.search_key = 'name:' || name_only.name_key

),

-- a merged MBID: the artist answer tells the current id
current_ids as (

    select distinct
        requested_mbid,
        artist_mbid
    from mbz_artists

),

final as (

    select
        matched.name_key,
        matched.artist_name,
        matched.play_count,
        coalesce(current_ids.artist_mbid, matched.matched_mbid) as artist_mbid,
        matched.matched_mbid,
        matched.match_method,
        matched.search_key,
        matched.is_spotify_name
    from matched
    left join current_ids
        on current_ids.requested_mbid = matched.matched_mbid

)

select * from final
