-- Issue 15, skips: over every listen (not only plays), how many were skips - the export says skipped, or the
-- listen was shorter than min_play_seconds (not counts_as_play) - per local hour (all 24), per platform, and
-- for the 50 most skipped tracks and artists.
with fact_track_played as (

    select * from {{ ref('fact_track_played') }}

),

dim_artist as (

    select * from {{ ref('dim_artist') }}

),

dim_track as (

    select * from {{ ref('dim_track') }}

),

listens as (

    select
        artist_key,
        track_key,
        cast(hour(played_at_local) as integer) as hour,
        coalesce(platform, 'unknown') as platform,
        coalesce(skipped, false) or not counts_as_play as is_skip
    from fact_track_played

),

hours as (

    select cast(range as integer) as hour
    from range(0, 24)

),

by_hour as (

    select
        hour,
        count(*) as listens,
        count(*) filter (where is_skip) as skips
    from listens
    group by hour

),

hour_rows as (

    select
        'hour' as dimension,
        cast(hours.hour as varchar) as value,
        null::varchar as item_key,
        null::varchar as artist_name,
        coalesce(by_hour.listens, 0) as listens,
        coalesce(by_hour.skips, 0) as skips,
        null::bigint as skips_rank
    from hours
    left join by_hour
        on by_hour.hour = hours.hour

),

platform_rows as (

    select
        'platform' as dimension,
        platform as value,
        null::varchar as item_key,
        null::varchar as artist_name,
        count(*) as listens,
        count(*) filter (where is_skip) as skips,
        null::bigint as skips_rank
    from listens
    group by platform

),

-- a track's artist: the one with the most listens of it
track_artist_listens as (

    select
        track_key,
        artist_key,
        count(*) as listens,
        count(*) filter (where is_skip) as skips
    from listens
    group by track_key, artist_key

),

by_track as (

    select
        track_artist_listens.track_key,
        sum(track_artist_listens.listens) as listens,
        sum(track_artist_listens.skips) as skips,
        arg_max(dim_artist.artist_name, track_artist_listens.listens) as artist_name
    from track_artist_listens
    left join dim_artist
        on dim_artist.artist_key = track_artist_listens.artist_key
    group by track_artist_listens.track_key
    having sum(track_artist_listens.skips) > 0

),

track_rows as (

    select
        'track' as dimension,
        dim_track.track_name as value,
        by_track.track_key as item_key,
        by_track.artist_name,
        by_track.listens,
        by_track.skips,
        row_number() over (
            order by
                by_track.skips desc,
                by_track.skips / by_track.listens desc,
                dim_track.track_name,
                by_track.track_key
        ) as skips_rank
    from by_track
    left join dim_track
        on dim_track.track_key = by_track.track_key
    qualify skips_rank <= 50

),

by_artist as (

    select
        artist_key,
        sum(listens) as listens,
        sum(skips) as skips
    from track_artist_listens
    group by artist_key
    having sum(skips) > 0

),

artist_rows as (

    select
        'artist' as dimension,
        dim_artist.artist_name as value,
        by_artist.artist_key as item_key,
        null::varchar as artist_name,
        by_artist.listens,
        by_artist.skips,
        row_number() over (
            order by
                by_artist.skips desc,
                by_artist.skips / by_artist.listens desc,
                dim_artist.artist_name,
                by_artist.artist_key
        ) as skips_rank
    from by_artist
    left join dim_artist
        on dim_artist.artist_key = by_artist.artist_key
    qualify skips_rank <= 50

),

unioned as (

    select * from hour_rows
    union all
    select * from platform_rows
    union all
    select * from track_rows
    union all
    select * from artist_rows

),

final as (

    select
        dimension,
        value,
        item_key,
        artist_name,
        cast(listens as bigint) as listens,
        cast(skips as bigint) as skips,
        cast(case when listens > 0 then skips / listens else 0 end as double) as skip_rate,
        cast(skips_rank as integer) as skips_rank
    from unioned

)

select * from final
