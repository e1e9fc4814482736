-- Artists: every MBID the history carries or the steps before matched, weighted by plays.
with mbids as (
    select
        artist_mbid as mbid,
        plays
    from musicbrainz_artist_plays
    where artist_mbid is not null

    union all

    select
        matched_mbid as mbid,
        play_count as plays
    from int_musicbrainz__spotify_artists_matched
    where matched_mbid is not null

    union all

    select
        matched_mbid as mbid,
        play_count as plays
    from int_musicbrainz__artist_names_matched
    where match_method = 'name_search' and matched_mbid is not null
)

select
    mbid as key,
    sum(plays) as plays
from mbids
group by mbid
