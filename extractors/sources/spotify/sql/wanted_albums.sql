-- Albums: every play's album id, else the album of its known track (int_spotify__tracks); and the album of
-- every track a search matched to a name-only listen.
select
    coalesce(plays.album_id, tracks.album_id) as key,
    cast(sum(plays.plays) as bigint) as plays
from spotify_plays as plays
left join int_spotify__tracks as tracks on plays.album_id is null and plays.track_id = tracks.track_id
group by 1

union all

select
    tracks.album_id as key,
    matched.play_count as plays
from int_spotify__track_searches_matched as matched
inner join int_spotify__tracks as tracks on tracks.track_id = matched.track_id
