-- Spotify Account data (StreamingHistory_music_*.json): one row of import_staged per raw row of import_rows
-- (file_no, row_no, skip_reason, problem and the contract's columns). endTime is the end of the listen cut to
-- the minute: started_at is left to the warehouse.
-- The export's camelCase keys (endTime, trackName, ...) are read by their lower-case names: DuckDB binds
-- identifiers case-insensitively.
with parsed as (
    select
        *,
        try_strptime(trim(endtime), ['%Y-%m-%d %H:%M', '%Y-%m-%d %H:%M:%S']) as end_at,
        {{ text('trackname') }} as name_,
        {{ text('artistname') }} as artist_,
        case
            when {{ text('trackname') }} is null and coalesce(podcastname, episodename) is not null
                then {{ literal(skip_podcast) }}
            when artistname = 'Unknown Artist' and trackname = 'Unknown Track'
                then {{ literal(skip_no_metadata) }}
        end as skip_reason
    from import_rows
)

select
    file_no,
    row_no,
    skip_reason,
    case
        when end_at is null
            then 'endTime ' || {{ quoted('endtime') }} || ' is not a UTC time like 2019-03-04 21:23'
        when skip_reason is null and name_ is null then 'a row without trackName'
        when skip_reason is null and artist_ is null then 'a row without artistName'
    end as problem,
    {{ literal(user_id) }} as user_id,
    name_ as track_name,
    artist_ as artist,
    end_at as played_at,
    {{ literal(play_source) }} as play_source,
    {{ milliseconds('"msPlayed"') }} as ms_played
from parsed
