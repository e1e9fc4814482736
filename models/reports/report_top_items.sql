-- Issue 15, the tops: for all time, the last 4 weeks, the last 6 months and each local year, the top
-- var('report_top_n') artists, tracks, albums, primary genres and artists' countries, ranked by plays and by
-- minutes, with the item's rank in the previous period (previous_rank, rank_change) and whether it is new.
-- Rolling periods end on the local date of the latest play (the anchor), not today.
{#- each ranking: by this measure, then the other, then by name and key #}
{%- set measures = [('plays', 'minutes'), ('minutes', 'plays')] %}
{#- the entities ranked, and the column of a play that names its item (a play without one is in no list but the
    artist's and the track's: every play has those) #}
{%- set entities = [
    ('artist', 'artist_key'), ('track', 'track_key'), ('album', 'album_key'), ('genre', 'primary_genre'),
    ('country', 'country_code'),
] %}
with fact_track_played as (

    select * from {{ ref('fact_track_played') }}

),

-- the plays per local year, artist, track and album (incremental): the years and all time add these up
plays_yearly as (

    select * from {{ ref('int_plays_yearly') }}

),

days as (

    select * from {{ ref('int_listening_days') }}

),

dim_artist as (

    select * from {{ ref('dim_artist') }}

),

dim_track as (

    select * from {{ ref('dim_track') }}

),

dim_album as (

    select * from {{ ref('dim_album') }}

),

-- the first and the latest day with a play (the anchor)
bounds as (

    select
        min(local_date) as first_date,
        max(local_date) as anchor
    from days

),

years as (

    select
        first_date,
        anchor,
        cast(unnest(generate_series(year(first_date), year(anchor))) as integer) as year
    from bounds
    where anchor is not null

),

-- each period with its previous one (null bounds: none)
periods as (

    select
        'all time' as period,
        'all time' as period_kind,
        first_date as period_start,
        anchor as period_end,
        null::date as previous_start,
        null::date as previous_end
    from bounds
    where anchor is not null
    union all
    select
        'last 4 weeks' as period,
        'recent' as period_kind,
        anchor - 27 as period_start,
        anchor as period_end,
        anchor - 55 as previous_start,
        anchor - 28 as previous_end
    from bounds
    where anchor is not null
    union all
    select
        'last 6 months' as period,
        'recent' as period_kind,
        anchor - 181 as period_start,
        anchor as period_end,
        anchor - 363 as previous_start,
        anchor - 182 as previous_end
    from bounds
    where anchor is not null
    union all
    select
        cast(year as varchar) as period,
        'year' as period_kind,
        make_date(year, 1, 1) as period_start,
        least(make_date(year, 12, 31), anchor) as period_end,
        case when year > year(first_date) then make_date(year - 1, 1, 1) end as previous_start,
        case when year > year(first_date) then make_date(year - 1, 12, 31) end as previous_end
    from years

),

-- the windows counted: every period, and every previous period
windows as (

    select
        period,
        true as is_current,
        period_start as window_start,
        period_end as window_end
    from periods
    union all
    select
        period,
        false as is_current,
        previous_start as window_start,
        previous_end as window_end
    from periods
    where previous_start is not null

),

-- the plays of the rolling windows' days only (the last 364 days at most), each with its artist's primary genre
-- and country
recent_daily as (

    select
        cast(fact_track_played.played_at_local as date) as local_date,
        fact_track_played.artist_key,
        fact_track_played.track_key,
        fact_track_played.album_key,
        coalesce(fact_track_played.minutes_played, 0) as minutes_played,
        dim_artist.primary_genre,
        dim_artist.country_code
    from fact_track_played
    inner join bounds
        on cast(fact_track_played.played_at_local as date) >= bounds.anchor - 363
    left join dim_artist
        on dim_artist.artist_key = fact_track_played.artist_key
    where fact_track_played.counts_as_play

),

daily_items as (
    {% for entity, key in entities %}
    {{ 'union all' if not loop.first }}
    select
        local_date,
        '{{ entity }}' as entity,
        {{ key }} as item_key,
        count(*) as plays,
        sum(minutes_played) as minutes
    from recent_daily
    {{ 'where ' ~ key ~ ' is not null' if key not in ('artist_key', 'track_key') }}
    group by local_date, {{ key }}
    {% endfor %}

),

countries as (

    select
        country_code,
        min(country_name) as country_name
    from dim_artist
    where country_code is not null
    group by country_code

),

-- the name of every item that can be ranked (a genre is its own name); the ranks' last tie-breakers are the
-- name, then the key, and only the items that reach a top list or tie with one there are named
item_names as (

    select
        'artist' as entity,
        artist_key as item_key,
        artist_name as item_name
    from dim_artist
    union all
    select
        'track' as entity,
        track_key as item_key,
        track_name as item_name
    from dim_track
    union all
    select
        'album' as entity,
        album_key as item_key,
        album_name as item_name
    from dim_album
    union all
    select distinct
        'genre' as entity,
        primary_genre as item_key,
        primary_genre as item_name
    from dim_artist
    where primary_genre is not null
    union all
    select
        'country' as entity,
        country_code as item_key,
        country_name as item_name
    from countries

),

-- int_plays_yearly with its artist's primary genre and country
yearly_with_artist as (

    select
        plays_yearly.year,
        plays_yearly.artist_key,
        plays_yearly.track_key,
        plays_yearly.album_key,
        plays_yearly.plays,
        plays_yearly.minutes,
        dim_artist.primary_genre,
        dim_artist.country_code
    from plays_yearly
    left join dim_artist
        on dim_artist.artist_key = plays_yearly.artist_key

),

-- the plays per item and local year: a year's window is its calendar year (no play lies beyond the anchor nor
-- before the first play), so the years, the previous years and all time add these up instead of joining
-- every play to every window; only the rolling windows join days
yearly as (
    {% for entity, key in entities %}
    {{ 'union all' if not loop.first }}
    select
        year,
        '{{ entity }}' as entity,
        {{ key }} as item_key,
        sum(plays) as plays,
        sum(minutes) as minutes
    from yearly_with_artist
    {{ 'where ' ~ key ~ ' is not null' if key not in ('artist_key', 'track_key') }}
    group by year, {{ key }}
    {% endfor %}

),

counted as (

    select
        'all time' as period,
        true as is_current,
        entity,
        item_key,
        sum(plays) as plays,
        sum(minutes) as minutes
    from yearly
    group by entity, item_key
    union all
    select
        cast(year as varchar) as period,
        true as is_current,
        entity,
        item_key,
        plays,
        minutes
    from yearly
    union all
    -- a year counted as the previous one of the next (up to the anchor's year)
    select
        cast(yearly.year + 1 as varchar) as period,
        false as is_current,
        yearly.entity,
        yearly.item_key,
        yearly.plays,
        yearly.minutes
    from yearly
    inner join bounds
        on yearly.year + 1 <= year(bounds.anchor)
    union all
    select
        windows.period,
        windows.is_current,
        daily_items.entity,
        daily_items.item_key,
        sum(daily_items.plays) as plays,
        sum(daily_items.minutes) as minutes
    from daily_items
    inner join windows
        on daily_items.local_date between windows.window_start and windows.window_end
    inner join periods
        on periods.period = windows.period and periods.period_kind = 'recent'
    group by windows.period, windows.is_current, daily_items.entity, daily_items.item_key

),

-- a window's top N by plays are among its items with at least the N-th highest plays (every item ahead of one
-- of those has as many), and likewise by minutes: only those few are named and ranked
thresholds as (

    select
        period,
        entity,
        list_min(max(plays, {{ var('report_top_n', 10) }})) as least_plays,
        list_min(max(minutes, {{ var('report_top_n', 10) }})) as least_minutes
    from counted
    where is_current
    group by period, entity

),

contenders as (

    select counted.*
    from counted
    inner join thresholds
        on thresholds.period = counted.period and thresholds.entity = counted.entity
    where
        counted.is_current
        and (counted.plays >= thresholds.least_plays or counted.minutes >= thresholds.least_minutes)

),

-- ranks by plays and by minutes (ties: by name, then key); exact for the contenders that can be in a top N
ranked as (

    select
        {%- for measure, other in measures %}
        row_number() over (
            partition by contenders.period, contenders.entity
            order by
                contenders.{{ measure }} desc, contenders.{{ other }} desc, item_names.item_name, contenders.item_key
        ) as {{ measure }}_rank,
        {%- endfor %}
        contenders.period,
        contenders.entity,
        contenders.item_key,
        item_names.item_name,
        contenders.plays,
        contenders.minutes
    from contenders
    left join item_names
        on item_names.entity = contenders.entity and item_names.item_key = contenders.item_key

),

current_tops as (
    {% for measure, other in measures %}
    {{ 'union all' if not loop.first }}
    select
        period,
        entity,
        '{{ measure }}' as measure,
        {{ measure }}_rank as item_rank,
        item_key,
        item_name,
        plays,
        minutes
    from ranked
    where {{ measure }}_rank <= {{ var('report_top_n', 10) }}
    {% endfor %}

),

-- the items as counted in the previous windows
previous_counts as (

    select
        period,
        entity,
        item_key,
        plays,
        minutes
    from counted
    where not is_current

),

-- the current tops' items as counted in the previous window
returning_items as (

    select distinct previous_counts.*
    from previous_counts
    inner join current_tops
        on current_tops.period = previous_counts.period and current_tops.entity = previous_counts.entity
        and current_tops.item_key = previous_counts.item_key

),

-- A returning item's rank there is one plus the items of that window ahead of it, in the order of the ranks
-- above. Those are counted without comparing it to every item of the window: the items with more plays (more
-- whole minutes) are counted per level of plays (of whole minutes), and only the items on its own level are
-- compared with it one by one; the few with the same plays and minutes are ordered by name, then key.
plays_levels as (

    select
        period,
        entity,
        plays,
        coalesce(sum(count(*)) over (
            partition by period, entity order by plays desc rows between unbounded preceding and 1 preceding
        ), 0) as items_above
    from previous_counts
    group by period, entity, plays

),

minute_levels as (

    select
        period,
        entity,
        floor(minutes) as whole_minutes,
        coalesce(sum(count(*)) over (
            partition by period, entity order by floor(minutes) desc rows between unbounded preceding and 1 preceding
        ), 0) as items_above
    from previous_counts
    group by period, entity, floor(minutes)

),

plays_peers as (

    select
        returning_items.period,
        returning_items.entity,
        returning_items.item_key,
        count(*) filter (where previous_counts.minutes > returning_items.minutes) as items_ahead
    from returning_items
    inner join previous_counts
        on previous_counts.period = returning_items.period and previous_counts.entity = returning_items.entity
        and previous_counts.plays = returning_items.plays
    group by returning_items.period, returning_items.entity, returning_items.item_key

),

minute_peers as (

    select
        returning_items.period,
        returning_items.entity,
        returning_items.item_key,
        count(*) filter (
            where
            previous_counts.minutes > returning_items.minutes
            or (previous_counts.minutes = returning_items.minutes and previous_counts.plays > returning_items.plays)
        ) as items_ahead
    from returning_items
    inner join previous_counts
        on previous_counts.period = returning_items.period and previous_counts.entity = returning_items.entity
        and floor(previous_counts.minutes) = floor(returning_items.minutes)
    group by returning_items.period, returning_items.entity, returning_items.item_key

),

-- the other items with the same plays and minutes (materialized: named after the join, not before)
tied_pairs as materialized (

    select
        returning_items.period,
        returning_items.entity,
        returning_items.item_key,
        previous_counts.item_key as tied_key
    from returning_items
    inner join previous_counts
        on previous_counts.period = returning_items.period and previous_counts.entity = returning_items.entity
        and previous_counts.plays = returning_items.plays and previous_counts.minutes = returning_items.minutes
        and previous_counts.item_key <> returning_items.item_key

),

-- how many of them come first by name (names last when null), then key
tied_ahead as (

    select
        tied_pairs.period,
        tied_pairs.entity,
        tied_pairs.item_key,
        count(*) as items_ahead
    from tied_pairs
    left join item_names as names
        on names.entity = tied_pairs.entity and names.item_key = tied_pairs.item_key
    left join item_names as tied_names
        on tied_names.entity = tied_pairs.entity and tied_names.item_key = tied_pairs.tied_key
    where
        (tied_names.item_name is not null and names.item_name is null)
        or tied_names.item_name < names.item_name
        or (tied_names.item_name is not distinct from names.item_name and tied_pairs.tied_key < tied_pairs.item_key)
    group by tied_pairs.period, tied_pairs.entity, tied_pairs.item_key

),

previous as (

    select
        1 + plays_levels.items_above + plays_peers.items_ahead + coalesce(tied_ahead.items_ahead, 0) as plays_rank,
        1 + minute_levels.items_above + minute_peers.items_ahead + coalesce(tied_ahead.items_ahead, 0)
            as minutes_rank,
        returning_items.period,
        returning_items.entity,
        returning_items.item_key
    from returning_items
    inner join plays_levels
        on plays_levels.period = returning_items.period and plays_levels.entity = returning_items.entity
        and plays_levels.plays = returning_items.plays
    inner join minute_levels
        on minute_levels.period = returning_items.period and minute_levels.entity = returning_items.entity
        and minute_levels.whole_minutes = floor(returning_items.minutes)
    inner join plays_peers
        on plays_peers.period = returning_items.period and plays_peers.entity = returning_items.entity
        and plays_peers.item_key = returning_items.item_key
    inner join minute_peers
        on minute_peers.period = returning_items.period and minute_peers.entity = returning_items.entity
        and minute_peers.item_key = returning_items.item_key
    left join tied_ahead
        on tied_ahead.period = returning_items.period and tied_ahead.entity = returning_items.entity
        and tied_ahead.item_key = returning_items.item_key

),

-- the artist of a top track or album: the one with the most plays of it (then name, then key)
item_artist_plays as (

    select
        'track' as entity,
        plays_yearly.track_key as item_key,
        plays_yearly.artist_key,
        sum(plays_yearly.plays) as plays
    from plays_yearly
    where plays_yearly.track_key in (select current_tops.item_key from current_tops where current_tops.entity = 'track')
    group by plays_yearly.track_key, plays_yearly.artist_key
    union all
    select
        'album' as entity,
        plays_yearly.album_key as item_key,
        plays_yearly.artist_key,
        sum(plays_yearly.plays) as plays
    from plays_yearly
    where plays_yearly.album_key in (select current_tops.item_key from current_tops where current_tops.entity = 'album')
    group by plays_yearly.album_key, plays_yearly.artist_key

),

item_artists as (

    select
        item_artist_plays.entity,
        item_artist_plays.item_key,
        dim_artist.artist_name
    from item_artist_plays
    left join dim_artist
        on dim_artist.artist_key = item_artist_plays.artist_key
    qualify row_number() over (
            partition by item_artist_plays.entity, item_artist_plays.item_key
            order by item_artist_plays.plays desc, dim_artist.artist_name, item_artist_plays.artist_key
        ) = 1

),

final as (

    select
        current_tops.period,
        periods.period_kind,
        periods.period_start,
        periods.period_end,
        current_tops.entity,
        current_tops.measure,
        cast(current_tops.item_rank as integer) as rank,
        current_tops.item_key,
        current_tops.item_name,
        item_artists.artist_name,
        cast(current_tops.plays as bigint) as plays,
        cast(coalesce(current_tops.minutes, 0) as double) as minutes,
        cast(
            case current_tops.measure when 'plays' then previous.plays_rank else previous.minutes_rank end
            as integer
        ) as previous_rank,
        cast(
            case current_tops.measure when 'plays' then previous.plays_rank else previous.minutes_rank end
            - current_tops.item_rank
            as integer
        ) as rank_change,
        case when periods.previous_start is not null then previous.item_key is null end as is_new
    from current_tops
    inner join periods
        on periods.period = current_tops.period
    left join previous
        on previous.period = current_tops.period and previous.entity = current_tops.entity
        and previous.item_key = current_tops.item_key
    left join item_artists
        on item_artists.entity = current_tops.entity and item_artists.item_key = current_tops.item_key

)

select * from final
