-- Every answer of the enrichment that int_plays_resolved looks a listen up in, one row per (lookup, key): the
-- track a name-only listen's search matched, the artist an artist search found, a Spotify track's artist,
-- album and length, the Spotify artist of an MBID (merged MBIDs followed, and directly), the Spotify artist
-- of a normalized name, the time zone of a country. int_plays_resolved is incremental (docs/incremental.md):
-- a build compares these rows with the ones its last build used and recomputes the listens whose keys
-- changed answer. Keep it in step with int_plays_resolved's joins (the shared ones: macros/plays_lookups.sql).
-- An answer is kept as a digest (answer_digest: the sum of its rows' hashes, whatever their order), not as text:
-- 400k keys at 1M listens, compared on every build.
with tracks as (

    select * from {{ ref('int_spotify__tracks') }}

),

track_matches as (

    select * from {{ ref('int_spotify__track_searches_matched') }}

),

artist_matches as (

    select * from {{ ref('int_spotify__artist_searches_matched') }}

),

spotify_artists as (

    select * from {{ ref('spotify_artists') }}

),

artist_info as (

    select * from {{ ref('mbz_artist_info') }}

),

mbz_artists as (

    select * from {{ ref('stg_musicbrainz__artists') }}

),

zones as (

    select * from {{ ref('country_timezones') }}

),

-- a Spotify artist per normalized name, and the Spotify artist of a requested MBID: what int_plays_resolved
-- joins (the same macros, macros/plays_lookups.sql)
spotify_names as (

    {{ spotify_artist_by_name('spotify_artists') }}

),

mbid_artists as (

    {{ mbid_spotify_artists('mbz_artists', 'artist_info') }}

),

lookups as (

    select
        'track_match' as lookup,
        pair_key as lookup_key,
        {{ answer_digest('track_id, match_route') }} as answer
    from track_matches
    group by pair_key

    union all

    select
        'artist_match' as lookup,
        artist_search_key as lookup_key,
        {{ answer_digest('artist_id') }} as answer
    from artist_matches
    group by artist_search_key

    union all

    select
        'track' as lookup,
        track_id as lookup_key,
        {{ answer_digest('artist_id, album_id, duration_ms') }} as answer
    from tracks
    group by track_id

    union all

    -- the current MBID of a requested one (merged MBIDs) and the Spotify artist MusicBrainz maps it to
    select
        'mbid' as lookup,
        requested_mbid as lookup_key,
        {{ answer_digest('artist_mbid, spotify_artist_id') }} as answer
    from mbid_artists
    group by requested_mbid

    union all

    select
        'mbid_direct' as lookup,
        artist_mbid as lookup_key,
        {{ answer_digest('artist_mbid, spotify_artist_id') }} as answer
    from artist_info
    group by artist_mbid

    union all

    select
        'spotify_name' as lookup,
        name_key as lookup_key,
        cast(hash(artist_id) as hugeint) as answer
    from spotify_names

    union all

    select distinct
        'zone' as lookup,
        upper(countries.country_code) as lookup_key,
        cast(hash({{ local_timezone('countries.country_code') }}) as hugeint) as answer
    from zones as countries

)

select * from lookups
