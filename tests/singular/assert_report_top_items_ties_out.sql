-- report_top_items ties out against fact_track_played: every top item's plays and minutes in its period equal a
-- recount from the fact table, and rank 1 by plays has the most plays of its period and entity (no row
-- returned = pass).
with tops as (

    select * from {{ ref('report_top_items') }}

),

plays as (

    select
        fact.artist_key,
        fact.track_key,
        fact.album_key,
        dim_artist.primary_genre,
        dim_artist.country_code,
        cast(fact.played_at_local as date) as local_date,
        fact.minutes_played
    from {{ ref('fact_track_played') }} as fact
    left join {{ ref('dim_artist') }} as dim_artist
        on dim_artist.artist_key = fact.artist_key
    where fact.counts_as_play

),

periods as (

    select distinct
        period,
        entity,
        period_start,
        period_end
    from tops

),

-- every item of every period and entity, recounted
recounted as (

    select
        periods.period,
        periods.entity,
        case periods.entity
            when 'artist' then plays.artist_key
            when 'track' then plays.track_key
            when 'album' then plays.album_key
            when 'genre' then plays.primary_genre
            when 'country' then plays.country_code
        end as item_key,
        count(*) as plays,
        coalesce(sum(plays.minutes_played), 0) as minutes
    from periods
    inner join plays
        on plays.local_date between periods.period_start and periods.period_end
    group by all

),

mismatched as (

    select
        tops.period,
        tops.entity,
        tops.measure,
        tops.rank,
        'recount' as problem
    from tops
    left join recounted
        on recounted.period = tops.period and recounted.entity = tops.entity
        and recounted.item_key = tops.item_key
    where
        recounted.plays is distinct from tops.plays
        or {{ sums_differ('recounted.minutes', 'tops.minutes') }}
        or recounted.minutes is null

),

most_plays as (

    select
        period,
        entity,
        max(plays) as plays
    from recounted
    where item_key is not null
    group by period, entity

),

not_first as (

    select
        tops.period,
        tops.entity,
        tops.measure,
        tops.rank,
        'rank 1 by plays' as problem
    from tops
    inner join most_plays
        on most_plays.period = tops.period and most_plays.entity = tops.entity
    where tops.measure = 'plays' and tops.rank = 1 and tops.plays <> most_plays.plays

)

select * from mismatched
union all
select * from not_first
