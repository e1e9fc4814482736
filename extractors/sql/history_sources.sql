-- Per source of the history (tracks_played), most rows first: rows, and rows whose ms_played says they are
-- shorter than a play (under {{ min_play_ms }} ms).
select
    coalesce(play_source, '(none)') as play_source,
    count(*) as row_count,
    count(*) filter (where ms_played < {{ min_play_ms | int }}) as short_rows
from tracks_played
group by 1
order by 2 desc, 1
