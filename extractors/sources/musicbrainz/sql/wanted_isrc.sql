-- ISRCs: one per play of every Spotify artist still unmatched whose ISRCs were not tried yet (once one of
-- an artist's ISRCs is done, the artist moves on to the URL step). `done` is the endpoint's done keys, as
-- extractors/sql/missing_keys.sql defines them around this query.
with artist_isrcs as (
    select
        spotify_artist_id,
        isrc,
        cast(sum(plays) as bigint) as plays
    from musicbrainz_artist_plays
    where spotify_artist_id is not null and regexp_full_match(isrc, '{{ isrc_re }}')
    group by spotify_artist_id, isrc
),

attempted as (
    select distinct artist_isrcs.spotify_artist_id
    from artist_isrcs
    semi join done on artist_isrcs.isrc = done.key
)

select
    artist_isrcs.isrc as key,
    max(artist_isrcs.plays) as plays
from int_musicbrainz__spotify_artists_matched as artists
inner join artist_isrcs on artists.spotify_artist_id = artist_isrcs.spotify_artist_id
anti join attempted on artists.spotify_artist_id = attempted.spotify_artist_id
where artists.matched_mbid is null
group by artist_isrcs.isrc
