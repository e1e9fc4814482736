-- Issue 15, the year in review (a "Wrapped" per local year): the plays, minutes, distinct artists and tracks,
-- the artists played for the first time ever, the top 5 artists, tracks and albums by minutes, the genre and
-- the origin country with the most minutes and their shares, the month and hour of day with the most minutes,
-- and up to 5 artists discovered that year (most played that year first).
with plays as (

    select * from {{ ref('fact_track_played') }}
    where counts_as_play

),

artists as (

    select * from {{ ref('dim_artist') }}

),

tracks as (

    select * from {{ ref('dim_track') }}

),

albums as (

    select * from {{ ref('dim_album') }}

),

played as (

    select
        plays.artist_key,
        plays.track_key,
        plays.album_key,
        plays.minutes_played,
        artists.artist_name,
        artists.primary_genre as genre,
        artists.country_code,
        coalesce(artists.country_name, artists.country_code) as country_name,
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

-- ranked by minutes (ties: plays, name), and the year's new artists by plays (ties: minutes, name)
artist_years_ranked as (

    select
        year,
        artist_name,
        year = first_year as is_new,
        row_number() over (
            partition by year order by minutes desc, plays desc, artist_name, artist_key
        ) as minutes_rank,
        row_number() over (
            partition by year, year = first_year order by plays desc, minutes desc, artist_name, artist_key
        ) as discovery_rank
    from artist_years

),

artist_lists as (

    select
        year,
        count(*) filter (where is_new) as new_artists,
        list(artist_name order by minutes_rank) filter (where minutes_rank <= 5) as top_artists,
        list(artist_name order by discovery_rank) filter (where is_new and discovery_rank <= 5) as discovered_artists
    from artist_years_ranked
    group by year

),

-- a track's (album's) artist in a year: the artist of most of its plays that year (ties: minutes, name)
track_artists as (

    select
        year,
        track_key,
        artist_name,
        count(*) as plays,
        coalesce(sum(minutes_played), 0) as minutes,
        row_number() over (
            partition by year, track_key
            order by count(*) desc, coalesce(sum(minutes_played), 0) desc, artist_name, artist_key
        ) as artist_rank
    from played
    group by year, track_key, artist_key, artist_name

),

track_years_ranked as (

    select
        track_artists.year,
        tracks.track_name || ' — ' || max(track_artists.artist_name) filter (
            where track_artists.artist_rank = 1
        ) as label,
        row_number() over (
            partition by track_artists.year
            order by
                sum(track_artists.minutes) desc, sum(track_artists.plays) desc, tracks.track_name,
                track_artists.track_key
        ) as minutes_rank
    from track_artists
    inner join tracks
        on tracks.track_key = track_artists.track_key
    group by track_artists.year, track_artists.track_key, tracks.track_name

),

track_lists as (

    select
        year,
        list(label order by minutes_rank) filter (where minutes_rank <= 5) as top_tracks
    from track_years_ranked
    group by year

),

album_artists as (

    select
        year,
        album_key,
        artist_name,
        count(*) as plays,
        coalesce(sum(minutes_played), 0) as minutes,
        row_number() over (
            partition by year, album_key
            order by count(*) desc, coalesce(sum(minutes_played), 0) desc, artist_name, artist_key
        ) as artist_rank
    from played
    where album_key is not null
    group by year, album_key, artist_key, artist_name

),

album_years_ranked as (

    select
        album_artists.year,
        coalesce(albums.album_name, 'Unknown album') || ' — ' || max(album_artists.artist_name) filter (
            where album_artists.artist_rank = 1
        ) as label,
        row_number() over (
            partition by album_artists.year
            order by
                sum(album_artists.minutes) desc, sum(album_artists.plays) desc, albums.album_name,
                album_artists.album_key
        ) as minutes_rank
    from album_artists
    inner join albums
        on albums.album_key = album_artists.album_key
    group by album_artists.year, album_artists.album_key, albums.album_name

),

album_lists as (

    select
        year,
        list(label order by minutes_rank) filter (where minutes_rank <= 5) as top_albums
    from album_years_ranked
    group by year

),

-- the genre, origin country, month and hour with the most minutes per year (ties: plays, then the name or the
-- earlier month / hour)
genres_ranked as (

    select
        year,
        genre,
        coalesce(sum(minutes_played), 0) as minutes,
        row_number() over (
            partition by year order by coalesce(sum(minutes_played), 0) desc, count(*) desc, genre
        ) as minutes_rank
    from played
    where genre is not null
    group by year, genre

),

countries_ranked as (

    select
        year,
        max(country_name) as country_name,
        coalesce(sum(minutes_played), 0) as minutes,
        row_number() over (
            partition by year
            order by coalesce(sum(minutes_played), 0) desc, count(*) desc, max(country_name), country_code
        ) as minutes_rank
    from played
    where country_code is not null
    group by year, country_code

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
        cast(coalesce(artist_lists.top_artists, []) as varchar[]) as top_artists,
        cast(coalesce(track_lists.top_tracks, []) as varchar[]) as top_tracks,
        cast(coalesce(album_lists.top_albums, []) as varchar[]) as top_albums,
        genres_ranked.genre as top_genre,
        cast(genres_ranked.minutes / nullif(years.minutes, 0) as double) as top_genre_share,
        countries_ranked.country_name as top_country,
        cast(countries_ranked.minutes / nullif(years.minutes, 0) as double) as top_country_share,
        months_ranked.month as peak_month,
        monthname(make_date(years.year, months_ranked.month, 1)) as peak_month_name,
        cast(months_ranked.minutes as double) as peak_month_minutes,
        hours_ranked.hour as peak_hour,
        cast(hours_ranked.minutes as double) as peak_hour_minutes,
        cast(coalesce(artist_lists.discovered_artists, []) as varchar[]) as discovered_artists
    from years
    left join artist_lists
        on artist_lists.year = years.year
    left join track_lists
        on track_lists.year = years.year
    left join album_lists
        on album_lists.year = years.year
    left join genres_ranked
        on genres_ranked.year = years.year and genres_ranked.minutes_rank = 1
    left join countries_ranked
        on countries_ranked.year = years.year and countries_ranked.minutes_rank = 1
    left join months_ranked
        on months_ranked.year = years.year and months_ranked.minutes_rank = 1
    left join hours_ranked
        on hours_ranked.year = years.year and hours_ranked.minutes_rank = 1

)

select * from final
