{{ config(
    pre_hook="{{ plays_changes(
        ref('fact_track_played'), ref('int_plays_resolved'),
        'year integer',
        'select distinct cast(year(played_at_local) as integer) from changed where played_at_local is not null',
        'stored.year = recompute.year'
    ) }}",
) }}
-- Plays per local year, artist, track and album (everyone's): what report_top_items adds up for all time, each
-- year and each previous year, and for the artist of a track or album, instead of reading every play.
-- Incremental (macros/plays_incremental.sql): a build writes again the years a changed play is in, or was in.
with fact_track_played as (

    select * from {{ ref('fact_track_played') }}

),

plays as (

    select
        cast(year(played_at_local) as integer) as year,
        artist_key,
        track_key,
        album_key,
        coalesce(minutes_played, 0) as minutes_played
    from fact_track_played
    where counts_as_play

),

-- on an incremental build, the plays of the years written again
chosen as (

    {{ plays_chosen('plays', 'recompute.year = plays.year') }}

),

final as (

    select
        year,
        artist_key,
        track_key,
        album_key,
        cast(count(*) as bigint) as plays,
        cast(sum(minutes_played) as double) as minutes,
        {{ listens_build_time() }} as built_at
    from chosen
    group by year, artist_key, track_key, album_key

)

select * from final
