-- Artists: every play's artist id, else the first artist of its known track (int_spotify__tracks); the artist
-- of every track a search matched to a name-only listen; and every artist an artist search found.
select
    coalesce(plays.artist_id, tracks.artist_id) as key,
    cast(sum(plays.plays) as bigint) as plays
from spotify_plays as plays
left join int_spotify__tracks as tracks on plays.artist_id is null and plays.track_id = tracks.track_id
group by 1

union all

select
    tracks.artist_id as key,
    matched.play_count as plays
from int_spotify__track_searches_matched as matched
inner join int_spotify__tracks as tracks on tracks.track_id = matched.track_id

union all

select
    artist_id as key,
    play_count as plays
from int_spotify__artist_searches_matched
where artist_id is not null
