-- Issue 15, the year in review (a "Wrapped" per local year): the plays, minutes, distinct artists and tracks,
-- the artists played for the first time ever, the top 5 artists, tracks and albums by minutes, the genre and
-- the origin country with the most minutes and their shares (all from report_top_items: the tops the report
-- shows for that year), the month and hour of day with the most minutes, and up to 5 artists discovered that
-- year (most played that year first).
with plays as (

    select * from {{ ref('fact_track_played') }}
    where counts_as_play

),

artists as (

    select * from {{ ref('dim_artist') }}

),

top_items as (

    select * from {{ ref('report_top_items') }}

),

played as (

    select
        plays.artist_key,
        plays.track_key,
        plays.minutes_played,
        artists.artist_name,
        cast(year(plays.played_at_local) as integer) as year,
        cast(month(plays.played_at_local) as integer) as month,
        cast(hour(plays.played_at_local) as integer) as hour
    from plays
    inner join artists
        on artists.artist_key = plays.artist_key

),

years as (

    select
        year,
        count(*) as plays,
        coalesce(sum(minutes_played), 0) as minutes,
        count(distinct artist_key) as artists,
        count(distinct track_key) as tracks
    from played
    group by year

),

-- each artist's plays per year, and the year of its first play ever
artist_years as (

    select
        year,
        artist_key,
        artist_name,
        count(*) as plays,
        coalesce(sum(minutes_played), 0) as minutes,
        min(year) over (partition by artist_key) as first_year
    from played
    group by year, artist_key, artist_name

),

-- the year's new artists by plays (ties: minutes, name)
artist_years_ranked as (

    select
        year,
        artist_name,
        year = first_year as is_new,
        row_number() over (
            partition by year, year = first_year order by plays desc, minutes desc, artist_name, artist_key
        ) as discovery_rank
    from artist_years

),

artist_lists as (

    select
        year,
        count(*) filter (where is_new) as new_artists,
        list(artist_name order by discovery_rank) filter (where is_new and discovery_rank <= 5) as discovered_artists
    from artist_years_ranked
    group by year

),

-- the year's tops by minutes: report_top_items, the same lists the report's tops show for that year
year_tops as (

    select
        cast(period as integer) as year,
        entity,
        rank,
        case
            when entity in ('track', 'album') and artist_name is not null then item_name || ' — ' || artist_name
            else item_name
        end as label,
        minutes
    from top_items
    where period_kind = 'year' and measure = 'minutes'

),

top_lists as (

    select
        year,
        list(label order by rank) filter (where entity = 'artist' and rank <= 5) as top_artists,
        list(label order by rank) filter (where entity = 'track' and rank <= 5) as top_tracks,
        list(label order by rank) filter (where entity = 'album' and rank <= 5) as top_albums,
        max(label) filter (where entity = 'genre' and rank = 1) as top_genre,
        max(minutes) filter (where entity = 'genre' and rank = 1) as top_genre_minutes,
        max(label) filter (where entity = 'country' and rank = 1) as top_country,
        max(minutes) filter (where entity = 'country' and rank = 1) as top_country_minutes
    from year_tops
    group by year

),

months_ranked as (

    select
        year,
        month,
        coalesce(sum(minutes_played), 0) as minutes,
        row_number() over (
            partition by year order by coalesce(sum(minutes_played), 0) desc, count(*) desc, month
        ) as minutes_rank
    from played
    group by year, month

),

hours_ranked as (

    select
        year,
        hour,
        coalesce(sum(minutes_played), 0) as minutes,
        row_number() over (
            partition by year order by coalesce(sum(minutes_played), 0) desc, count(*) desc, hour
        ) as minutes_rank
    from played
    group by year, hour

),

final as (

    select
        years.year,
        cast(years.plays as bigint) as plays,
        cast(years.minutes as double) as minutes,
        cast(years.artists as bigint) as artists,
        cast(years.tracks as bigint) as tracks,
        cast(coalesce(artist_lists.new_artists, 0) as bigint) as new_artists,
        cast(coalesce(top_lists.top_artists, []) as varchar[]) as top_artists,
        cast(coalesce(top_lists.top_tracks, []) as varchar[]) as top_tracks,
        cast(coalesce(top_lists.top_albums, []) as varchar[]) as top_albums,
        top_lists.top_genre,
        cast(top_lists.top_genre_minutes / nullif(years.minutes, 0) as double) as top_genre_share,
        top_lists.top_country,
        cast(top_lists.top_country_minutes / nullif(years.minutes, 0) as double) as top_country_share,
        months_ranked.month as peak_month,
        monthname(make_date(years.year, months_ranked.month, 1)) as peak_month_name,
        cast(months_ranked.minutes as double) as peak_month_minutes,
        hours_ranked.hour as peak_hour,
        cast(hours_ranked.minutes as double) as peak_hour_minutes,
        cast(coalesce(artist_lists.discovered_artists, []) as varchar[]) as discovered_artists
    from years
    left join artist_lists
        on artist_lists.year = years.year
    left join top_lists
        on top_lists.year = years.year
    left join months_ranked
        on months_ranked.year = years.year and months_ranked.minutes_rank = 1
    left join hours_ranked
        on hours_ranked.year = years.year and hours_ranked.minutes_rank = 1

)

select * from final
