-- Issue 15, the eras: the plays and minutes per decade of release of the played album (dim_album.release_year),
-- a row with a null decade for plays of no album or of an album of unknown release year, and each decade's
-- share of all plays.
with plays as (

    select * from {{ ref('fact_track_played') }}
    where counts_as_play

),

albums as (

    select * from {{ ref('dim_album') }}

),

counted as (

    select
        cast(albums.release_year // 10 * 10 as integer) as decade,
        count(*) as plays,
        coalesce(sum(plays.minutes_played), 0) as minutes
    from plays
    left join albums
        on albums.album_key = plays.album_key
    group by albums.release_year // 10 * 10

),

final as (

    select
        decade,
        case when decade is null then 'Unknown' else cast(decade as varchar) || 's' end as decade_label,
        cast(plays as bigint) as plays,
        cast(minutes as double) as minutes,
        cast(plays / sum(plays) over () as double) as share_of_plays
    from counted

)

select * from final
