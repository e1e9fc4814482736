-- report_top_items ties out: every top item's plays and minutes in its period equal a recount, and rank 1 by
-- plays has the most plays of its period and entity (no row returned = pass). The windows made of whole local
-- years (all time, the years) add up int_plays_yearly, the plays per year and item (which
-- assert_int_plays_yearly_ties_out ties out against fact_track_played, year by year); the rolling windows
-- recount the plays of fact_track_played per local day. Only the top items are recounted; the most plays of a
-- period are the most of its year's items as int_plays_yearly counts them, or of each item's years (days) added.
with tops as (

    select * from {{ ref('report_top_items') }}

),

plays_yearly as (

    select
        yearly.year,
        yearly.artist_key,
        yearly.track_key,
        yearly.album_key,
        dim_artist.primary_genre,
        dim_artist.country_code,
        yearly.plays,
        yearly.minutes
    from {{ ref('int_plays_yearly') }} as yearly
    left join {{ ref('dim_artist') }} as dim_artist
        on dim_artist.artist_key = yearly.artist_key

),

days as (

    select * from {{ ref('int_listening_days') }}

),

periods as (

    select distinct
        period,
        entity,
        period_start,
        period_end
    from tops

),

bounds as (

    select
        min(local_date) as first_date,
        max(local_date) as last_date
    from days

),


-- a window holds whole local years when it starts on 1 January or before the first play and ends on 31 December
-- or after the latest play (all time, the years): it adds up the years; the other windows add up days
windows as (

    select
        periods.*,
        (
            strftime(periods.period_start, '%m-%d') = '01-01' or periods.period_start <= bounds.first_date
        ) and (
            strftime(periods.period_end, '%m-%d') = '12-31' or periods.period_end >= bounds.last_date
        ) as whole_years
    from periods
    cross join bounds

),

-- the plays of the rolling windows, from the first day of the earliest
recent_plays as (

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
        and cast(fact.played_at_local as date) >= (select min(w.period_start) from windows as w where not w.whole_years)

),

-- every recent play once per entity, with the item it counts for
items as (

    select
        local_date,
        'artist' as entity,
        artist_key as item_key,
        minutes_played
    from recent_plays
    union all
    select
        local_date,
        'track' as entity,
        track_key as item_key,
        minutes_played
    from recent_plays
    union all
    select
        local_date,
        'album' as entity,
        album_key as item_key,
        minutes_played
    from recent_plays
    union all
    select
        local_date,
        'genre' as entity,
        primary_genre as item_key,
        minutes_played
    from recent_plays
    union all
    select
        local_date,
        'country' as entity,
        country_code as item_key,
        minutes_played
    from recent_plays

),

-- the plays per year and item, per entity
yearly as (

    select year, 'artist' as entity, artist_key as item_key, sum(plays) as plays, sum(minutes) as minutes
    from plays_yearly
    group by all
    union all
    select year, 'track' as entity, track_key as item_key, sum(plays) as plays, sum(minutes) as minutes
    from plays_yearly
    group by all
    union all
    select year, 'album' as entity, album_key as item_key, sum(plays) as plays, sum(minutes) as minutes
    from plays_yearly
    group by all
    union all
    select year, 'genre' as entity, primary_genre as item_key, sum(plays) as plays, sum(minutes) as minutes
    from plays_yearly
    group by all
    union all
    select year, 'country' as entity, country_code as item_key, sum(plays) as plays, sum(minutes) as minutes
    from plays_yearly
    group by all

),

daily as (

    select
        local_date,
        entity,
        item_key,
        count(*) as plays,
        sum(minutes_played) as minutes
    from items
    group by all

),

-- the items of the tops, once per period and entity
top_items as (

    select distinct
        period,
        entity,
        item_key
    from tops

),

-- every top item of every period and entity, recounted
recounted as (

    select
        windows.period,
        windows.entity,
        yearly.item_key,
        sum(yearly.plays) as plays,
        coalesce(sum(yearly.minutes), 0) as minutes
    from windows
    inner join top_items
        on top_items.period = windows.period and top_items.entity = windows.entity
    inner join yearly
        on yearly.entity = windows.entity and yearly.item_key = top_items.item_key
        and yearly.year >= year(windows.period_start) and yearly.year <= year(windows.period_end)
    where windows.whole_years
    group by all
    union all
    select
        windows.period,
        windows.entity,
        daily.item_key,
        sum(daily.plays) as plays,
        coalesce(sum(daily.minutes), 0) as minutes
    from windows
    inner join top_items
        on top_items.period = windows.period and top_items.entity = windows.entity
    inner join daily
        on daily.entity = windows.entity and daily.item_key = top_items.item_key
        and daily.local_date between windows.period_start and windows.period_end
    where not windows.whole_years
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

-- each item's plays in each window of several years (all time) and in each rolling window
items_of_several_years as (

    select
        windows.period,
        windows.entity,
        yearly.item_key,
        sum(yearly.plays) as plays
    from windows
    inner join yearly
        on yearly.entity = windows.entity and yearly.year >= year(windows.period_start)
        and yearly.year <= year(windows.period_end)
    where
        windows.whole_years and year(windows.period_start) < year(windows.period_end)
        and yearly.item_key is not null
    group by windows.period, windows.entity, yearly.item_key

),

items_of_rolling_windows as (

    select
        windows.period,
        windows.entity,
        daily.item_key,
        sum(daily.plays) as plays
    from windows
    inner join daily
        on daily.entity = windows.entity and daily.local_date between windows.period_start and windows.period_end
    where not windows.whole_years and daily.item_key is not null
    group by windows.period, windows.entity, daily.item_key

),

-- the most plays of any item in each period and entity: a window of one year takes the year's counts as they
-- are, the others add up each item's years (or days) first
most_plays as (

    select
        windows.period,
        windows.entity,
        max(yearly.plays) as plays
    from windows
    inner join yearly
        on yearly.entity = windows.entity and yearly.year = year(windows.period_start)
    where
        windows.whole_years and year(windows.period_start) = year(windows.period_end)
        and yearly.item_key is not null
    group by windows.period, windows.entity
    union all
    select
        period,
        entity,
        max(plays) as plays
    from items_of_several_years
    group by period, entity
    union all
    select
        period,
        entity,
        max(plays) as plays
    from items_of_rolling_windows
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
