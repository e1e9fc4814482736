{{ config(materialized='synced_table') }}
-- One row per distinct combination of the ids and names a row of the listening history gives (track, album,
-- artist, ISRC, MBID), with `plays`: how many rows of the history give exactly it. What the matching rules read
-- of the history (the artist maps, the Spotify search keys, and every "what is missing" of the extractors):
-- they count plays by summing `plays`, never by counting rows. Summing is additive over files, so the
-- extractors keep this table per history file as a cache and add up only the files they have not seen
-- (extractors/history_summary.py, docs/rules.md): the rules see exactly what dbt computes here.
with plays as (

    select * from {{ ref('stg_history__tracks_played') }}

),

final as (

    select
        track_id,
        track_uri,
        track_isrc,
        track_name,
        album_id,
        album_uri,
        album,
        artist_id,
        artist_mbid,
        artist,
        cast(count(*) as bigint) as plays
    from plays
    group by all

)

select * from final
