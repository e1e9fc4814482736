-- ListenBrainz (JSON or JSONL export): one row of import_staged per raw row of import_rows (file_no, row_no,
-- skip_reason, problem and the contract's columns). listened_at is the start of the listen, except for the
-- listens ListenBrainz's own importer took from a Spotify Extended Streaming History: those keep Spotify's ts
-- (the end) and say ms_played.
with parsed as (
    select
        *,
        coalesce(
            {{ epoch_to_timestamp('listened_at') }},
            try_cast(listened_at as timestamptz)::timestamp
        ) as listened,
        {{ text("json_extract_string(track_metadata, '$.track_name')") }} as name_,
        {{ text("json_extract_string(track_metadata, '$.artist_name')") }} as artist_,
        json_extract(track_metadata, '$.additional_info') as info,
        json_extract(track_metadata, '$.mbid_mapping') as mapping
    from import_rows
),

listens as (
    select
        *,
        nullif(regexp_extract(
            coalesce(json_extract_string(info, '$.spotify_id'), json_extract_string(info, '$.origin_url'), ''),
            '(?:open\.spotify\.com/track/|spotify:track:)([0-9A-Za-z]+)', 1
        ), '') as spotify_id,
        coalesce(
            json_extract_string(mapping, '$.artist_mbids[0]'),
            json_extract_string(mapping, '$.artists[0].artist_mbid'),
            {{ first_or_only('info', '$.artist_mbids') }}
        ) as artist_mbid_,
        {{ milliseconds("json_extract_string(info, '$.ms_played')") }} as ms_,
        coalesce(json_extract_string(info, '$.music_service') = 'spotify.com', false) as from_spotify
    from parsed
)

select
    file_no,
    row_no,
    null::varchar as skip_reason,
    case
        when listened is null
            then 'listened_at ' || {{ quoted('listened_at') }} || ' is not a Unix time in seconds (or ISO-8601)'
        when name_ is null then 'a listen without track_metadata.track_name'
        when artist_ is null then 'a listen without track_metadata.artist_name'
    end as problem,
    {{ literal(user_id) }} as user_id,
    spotify_id as track_id,
    'spotify:track:' || spotify_id as track_uri,
    {{ text(first_or_only('info', '$.isrc')) }} as track_isrc,
    name_ as track_name,
    {{ text("json_extract_string(track_metadata, '$.release_name')") }} as album,
    {{ text('artist_mbid_') }} as artist_mbid,
    artist_ as artist,
    coalesce(
        try_cast(json_extract_string(info, '$.duration_ms') as bigint),
        cast(try_cast(json_extract_string(info, '$.duration') as double) * 1000 as bigint)
    ) as duration_ms,
    listened as played_at,
    {{ literal(play_source) }} as play_source,
    ms_ as ms_played,
    case
        when ms_ is not null and from_spotify then {{ minus_ms('listened', 'ms_') }}
        else listened
    end as started_at,
    {{ text('user_name') }} as source_user
from listens
