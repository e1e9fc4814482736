-- Per file and skip reason (null: kept), how many rows, and how many of them are shorter than a play
-- (ms_played under {{ min_play_ms }}).
select
    file_no,
    skip_reason,
    count(*) as row_count,
    count(*) filter (where ms_played < {{ min_play_ms | int }}) as short_rows
from import_staged
group by all
