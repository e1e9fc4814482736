{{ config(materialized='table') }}
-- One row per artist the history knows only by name (no Spotify id, no MBID: account data, scrobbles),
-- with its MusicBrainz artist: the one of the Spotify artist of the same name when the history has one,
-- else the one its name search found (score >= 90 and the same name, case- and accent-insensitively; the
-- extractor lands those searches under the key 'name:<normalized name>').
with plays as (

    select * from {{ ref('stg_history__tracks_played') }}

),

searches as (

    select * from {{ ref('stg_musicbrainz__artist_searches') }}

),

spotify_map as (

    select * from {{ ref('int_mbz_spotify_artist_map') }}

),

-- a name that is also a Spotify artist's takes that artist's MBID (the extractor does not search it)
by_spotify_name as (

    select
        {{ normalized_name('artist_name') }} as name_key,
        artist_mbid,
        match_method
    from spotify_map
    where artist_name is not null
    qualify row_number() over (
        partition by {{ normalized_name('artist_name') }} order by play_count desc, spotify_artist_id
    ) = 1

),

name_only as (

    select
        {{ normalized_name('artist') }} as name_key,
        mode(artist) as artist_name,
        count(*) as play_count
    from plays
    where artist_id is null
        and artist_mbid is null
        and nullif(trim(artist), '') is not null
    group by 1

),

matches as (

    select
        substr(searches.spotify_artist_id, 6) as name_key,
        searches.artist_mbid,
        searches.score
    from searches
    where searches.spotify_artist_id like 'name:%'
        and searches.score >= 90
        and {{ normalized_name('searches.name') }} = substr(searches.spotify_artist_id, 6)
    qualify row_number() over (
        partition by searches.spotify_artist_id order by searches.score desc, searches.artist_mbid
    ) = 1

),

final as (

    select
        name_only.name_key,
        name_only.artist_name,
        name_only.play_count,
        coalesce(by_spotify_name.artist_mbid, matches.artist_mbid) as artist_mbid,
        case
            when by_spotify_name.name_key is not null then by_spotify_name.match_method
            when matches.artist_mbid is not null then 'name_search'
        end as match_method
    from name_only
    left join by_spotify_name using (name_key)
    left join matches using (name_key)

)

select * from final
