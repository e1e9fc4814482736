{{ config(materialized='synced_table') }}
-- One row per Spotify artist the listening history references, with its MusicBrainz artist by the best
-- evidence: history (a play carries the MBID) > isrc (a credit of its plays' recordings names it) >
-- spotify_url (MusicBrainz links its Spotify page) > name_search (score >= 90 and the same name); ties go to
-- the most evidence, then MusicBrainz's order, then the smallest MBID. Names compare by normalized_name.
-- A rule read by dbt and by the MusicBrainz extractor alike (extractors/rules.py, docs/rules.md): the
-- extractor asks MusicBrainz only about the artists whose matched_mbid is still null.
with plays as (

    {{ artist_plays(
        ref('int_history__references'), ref('int_spotify__tracks'),
        ref('int_spotify__track_searches_matched'), ref('int_spotify__artist_searches_matched')
    ) }}

),

artist_plays as (

    select *
    from plays
    where spotify_artist_id is not null

),

spotify_artists as (

    select * from {{ ref('stg_spotify__artists') }}

),

isrc_credits as (

    select * from {{ ref('stg_musicbrainz__isrc_recordings') }}

),

spotify_urls as (

    select * from {{ ref('stg_musicbrainz__spotify_urls') }}

),

artist_searches as (

    select * from {{ ref('stg_musicbrainz__artist_searches') }}

),

mbz_artists as (

    select * from {{ ref('stg_musicbrainz__artists') }}

),

play_counts as (

    select
        spotify_artist_id,
        cast(sum(plays) as bigint) as play_count
    from artist_plays
    group by spotify_artist_id

),

history_names as (

    select
        spotify_artist_id,
        play_artist_name as artist_name
    from artist_plays
    where play_artist_name is not null
    group by spotify_artist_id, play_artist_name
    qualify
        row_number() over (
            partition by spotify_artist_id order by sum(plays) desc, play_artist_name
        ) = 1

),

named as (

    select
        play_counts.spotify_artist_id,
        coalesce(spotify_artists.artist_name, history_names.artist_name) as artist_name,
        {{ normalized_name('coalesce(spotify_artists.artist_name, history_names.artist_name)') }} as name_key,
        play_counts.play_count
    from play_counts
    left join spotify_artists
        on spotify_artists.artist_id = play_counts.spotify_artist_id
    left join history_names
        on history_names.spotify_artist_id = play_counts.spotify_artist_id

),

by_history as (

    select
        spotify_artist_id,
        artist_mbid
    from artist_plays
    where {{ is_mbid('artist_mbid') }}
    group by spotify_artist_id, artist_mbid
    qualify row_number() over (partition by spotify_artist_id order by sum(plays) desc, artist_mbid) = 1

),

artist_isrcs as (

    select distinct
        spotify_artist_id,
        isrc
    from artist_plays
    where isrc is not null

),

-- only the credit that names this artist (by artist name or credited name), never blindly the first one
by_isrc as (

    select
        named.spotify_artist_id,
        isrc_credits.artist_mbid
    from artist_isrcs
    inner join named
        on named.spotify_artist_id = artist_isrcs.spotify_artist_id
    inner join isrc_credits
        on upper(trim(isrc_credits.isrc)) = artist_isrcs.isrc
    where isrc_credits.artist_mbid is not null
        and (
            {{ normalized_name('isrc_credits.artist_name') }} = named.name_key
            or {{ normalized_name('isrc_credits.credited_name') }} = named.name_key
        )
    group by named.spotify_artist_id, isrc_credits.artist_mbid
    qualify
        row_number() over (
            partition by named.spotify_artist_id
            order by count(distinct artist_isrcs.isrc) desc, isrc_credits.artist_mbid
        ) = 1

),

by_spotify_url as (

    select
        named.spotify_artist_id,
        spotify_urls.artist_mbid
    from spotify_urls
    inner join named
        on named.spotify_artist_id = spotify_urls.spotify_artist_id
    qualify
        row_number() over (
            partition by named.spotify_artist_id
            order by
                ({{ normalized_name('spotify_urls.artist_name') }} = named.name_key) desc nulls last,
                spotify_urls.relation_position,
                spotify_urls.artist_mbid
        ) = 1

),

by_name_search as (

    select
        named.spotify_artist_id,
        artist_searches.artist_mbid
    from artist_searches
    inner join named
        on named.spotify_artist_id = artist_searches.spotify_artist_id
    where
        {{ name_search_accepts(
            'artist_searches.score', 'artist_searches.name', 'named.name_key', 'artist_searches.batched'
        ) }}
    qualify
        row_number() over (
            partition by named.spotify_artist_id
            order by artist_searches.score desc, artist_searches.result_position, artist_searches.artist_mbid
        ) = 1

),

matched as (

    select
        named.spotify_artist_id,
        named.artist_name,
        named.play_count,
        coalesce(
            by_history.artist_mbid, by_isrc.artist_mbid, by_spotify_url.artist_mbid, by_name_search.artist_mbid
        ) as matched_mbid,
        case
            when by_history.artist_mbid is not null then 'history'
            when by_isrc.artist_mbid is not null then 'isrc'
            when by_spotify_url.artist_mbid is not null then 'spotify_url'
            when by_name_search.artist_mbid is not null then 'name_search'
        end as match_method
    from named
    left join by_history
        on by_history.spotify_artist_id = named.spotify_artist_id
    left join by_isrc
        on by_isrc.spotify_artist_id = named.spotify_artist_id
    left join by_spotify_url
        on by_spotify_url.spotify_artist_id = named.spotify_artist_id
    left join by_name_search
        on by_name_search.spotify_artist_id = named.spotify_artist_id

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
        matched.spotify_artist_id,
        matched.artist_name,
        coalesce(current_ids.artist_mbid, matched.matched_mbid) as artist_mbid,
        matched.matched_mbid,
        matched.match_method,
        matched.play_count
    from matched
    left join current_ids
        on current_ids.requested_mbid = matched.matched_mbid

)

select * from final
