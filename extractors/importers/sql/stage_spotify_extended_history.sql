-- Spotify Extended Streaming History: one row of import_staged per raw row of import_rows (file_no, row_no,
-- skip_reason, problem and the contract's columns). Every fact of the row is kept: ms_played, started_at, the
-- reasons, flags, platform, country and account name. A row of a Streaming_History_Video_* file (video) is
-- skipped as video; a row that is no track (a podcast episode, an audiobook chapter) is skipped as such.
-- offline_timestamp is when the listen began (seconds now, milliseconds in endsong files; 0 when unknown); a
-- value before {{ earliest }} or after ts is not a start time, and ts - ms_played is used instead.
with parsed as (
    select
        *,
        coalesce(spotify_track_uri like 'spotify:track:%', false) as is_track,
        try_cast(ts as timestamptz)::timestamp as ts_at,
        {{ text('master_metadata_track_name') }} as name_,
        {{ text('master_metadata_album_artist_name') }} as artist_,
        {{ milliseconds('ms_played') }} as ms_,
        {{ epoch_to_timestamp('offline_timestamp') }} as offline_at
    from import_rows
),

classified as (
    select
        *,
        case
            when coalesce({{ flag('incognito_mode') }}, false) then {{ literal(skip_incognito) }}
            when video then {{ literal(skip_video) }}
            when is_track then null
            when coalesce(spotify_episode_uri, episode_name, episode_show_name) is not null
                then {{ literal(skip_podcast) }}
            when coalesce(audiobook_uri, audiobook_title, audiobook_chapter_uri) is not null
                then {{ literal(skip_audiobook) }}
            else {{ literal(skip_no_metadata) }}
        end as skip_reason
    from parsed
)

select
    file_no,
    row_no,
    skip_reason,
    case
        when ts_at is null
            then 'ts ' || {{ quoted('ts') }} || ' is not an ISO-8601 UTC time like 2024-05-23T06:49:10Z'
        when skip_reason is null and name_ is null
            then 'a track (' || spotify_track_uri || ') without master_metadata_track_name'
        when skip_reason is null and artist_ is null
            then 'a track (' || spotify_track_uri || ') without master_metadata_album_artist_name'
    end as problem,
    {{ literal(user_id) }} as user_id,
    case when is_track then nullif(regexp_extract(spotify_track_uri, '[^:]*$'), '') end as track_id,
    case when is_track then spotify_track_uri end as track_uri,
    name_ as track_name,
    {{ text('master_metadata_album_album_name') }} as album,
    artist_ as artist,
    ts_at as played_at,
    {{ literal(play_source) }} as play_source,
    ms_ as ms_played,
    case
        when offline_at >= timestamp {{ literal(earliest) }} and offline_at <= ts_at
            then date_trunc('second', offline_at)
        else {{ minus_ms('ts_at', 'ms_') }}
    end as started_at,
    {{ text('reason_start') }} as reason_start,
    {{ text('reason_end') }} as reason_end,
    {{ flag('skipped') }} as skipped,
    {{ flag('shuffle') }} as shuffle,
    {{ flag('offline') }} as offline,
    {{ text('platform') }} as platform,
    upper({{ text('conn_country') }}) as conn_country,
    {{ text('username') }} as source_user
from classified
