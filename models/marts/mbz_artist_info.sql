-- One row per landed MusicBrainz artist (its current MBID): the artists the history names by MBID
-- (scrobbles) and the ones matched to a Spotify artist, with the most played Spotify artist mapped to it.
with artists as (

    select * from {{ ref('int_musicbrainz__artists_deduplicated') }}

),

requested as (

    select * from {{ ref('stg_musicbrainz__artists') }}

),

-- the history's distinct ids and names (int_history__references): its MBIDs without reading every row again
plays as (

    select * from {{ ref('int_history__references') }}

),

artist_map as (

    select * from {{ ref('int_musicbrainz__spotify_artists_matched') }}

),

-- several Spotify artists can map to one MBID: the most played one represents it
spotify_ids as (

    select
        artist_mbid,
        spotify_artist_id,
        match_method
    from artist_map
    where artist_mbid is not null
    qualify
        row_number() over (
            partition by artist_mbid order by play_count desc, spotify_artist_id
        ) = 1

),

-- artists the history knows only by name, found by a name search
name_mbids as (

    select distinct
        coalesce(requested.artist_mbid, name_map.artist_mbid) as artist_mbid
    from {{ ref('int_musicbrainz__artist_names_matched') }} as name_map
    left join requested
        on requested.requested_mbid = name_map.artist_mbid
    where name_map.artist_mbid is not null

),

-- MBIDs the history carries (scrobbles), as current MBIDs
history_mbids as (

    select distinct
        coalesce(requested.artist_mbid, plays.artist_mbid) as artist_mbid
    from plays
    left join requested
        on requested.requested_mbid = plays.artist_mbid
    where plays.artist_mbid is not null

),

final as (

    select
        artists.artist_mbid,
        spotify_ids.spotify_artist_id,
        artists.name,
        artists.sort_name,
        artists.type,
        artists.gender,
        artists.country,
        artists.disambiguation,
        artists.area_id,
        artists.area_name,
        artists.begin_area_id,
        artists.begin_area_name,
        artists.end_area_id,
        artists.end_area_name,
        artists.life_span_begin,
        artists.life_span_end,
        artists.life_span_ended,
        coalesce(
            spotify_ids.match_method,
            case when history_mbids.artist_mbid is not null then 'history' end,
            case when name_mbids.artist_mbid is not null then 'name_search' end
        ) as match_method
    from artists
    left join spotify_ids
        on spotify_ids.artist_mbid = artists.artist_mbid
    left join history_mbids
        on history_mbids.artist_mbid = artists.artist_mbid
    left join name_mbids
        on name_mbids.artist_mbid = artists.artist_mbid

)

select * from final
