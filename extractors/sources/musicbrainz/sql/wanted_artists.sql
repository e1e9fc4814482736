-- Artists: every MBID the history carries or the steps before matched, weighted by plays.
with mbids as (
    select
        artist_mbid as mbid,
        1 as plays
    from mbz_artist_plays
    where artist_mbid is not null

    union all

    select
        matched_mbid as mbid,
        play_count as plays
    from int_mbz_spotify_artist_map
    where matched_mbid is not null

    union all

    select
        matched_mbid as mbid,
        play_count as plays
    from int_mbz_name_artist_map
    where match_method = 'name_search' and matched_mbid is not null
)

select
    mbid as key,
    sum(plays) as plays
from mbids
group by mbid
