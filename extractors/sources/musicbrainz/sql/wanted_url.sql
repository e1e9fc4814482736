-- Spotify artist pages (as URL entities): every Spotify artist still unmatched whose ISRCs were tried, or
-- that has none.
with isrc_tried as (
    select distinct plays.spotify_artist_id
    from musicbrainz_artist_plays as plays
    semi join landed_musicbrainz_isrc as landed on plays.isrc = landed.key
),

with_isrc as (
    select distinct spotify_artist_id
    from musicbrainz_artist_plays
    where spotify_artist_id is not null and regexp_full_match(isrc, '{{ isrc_re }}')
)

select
    artists.spotify_artist_id as key,
    artists.play_count as plays
from int_musicbrainz__spotify_artists_matched as artists
where
    artists.matched_mbid is null
    and regexp_full_match(artists.spotify_artist_id, '{{ spotify_id_re }}')
    and (
        artists.spotify_artist_id not in (select with_isrc.spotify_artist_id from with_isrc)
        or artists.spotify_artist_id in (select isrc_tried.spotify_artist_id from isrc_tried)
    )
