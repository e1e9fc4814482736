-- Issue 15, the artists' cities on a map: the plays, minutes and distinct artists per city of origin of the
-- artist (dim_artist.city_name, which may be a region when MusicBrainz knows no city) with its coordinates,
-- and the artist played most there. Only plays whose artist has a latitude and a longitude.
with plays as (

    select * from {{ ref('fact_track_played') }}
    where counts_as_play

),

artists as (

    select * from {{ ref('dim_artist') }}

),

located as (

    select
        plays.artist_key,
        plays.minutes_played,
        artists.artist_name,
        artists.city_name,
        artists.country_code,
        artists.country_name,
        artists.lat,
        artists.long
    from plays
    inner join artists
        on artists.artist_key = plays.artist_key
    where artists.lat is not null and artists.long is not null

),

-- each artist's plays per place, ranked within the place (ties: minutes, then name)
artist_plays as (

    select
        city_name,
        country_code,
        lat,
        long,
        artist_key,
        artist_name,
        max(country_name) as country_name,
        count(*) as plays,
        coalesce(sum(minutes_played), 0) as minutes,
        row_number() over (
            partition by city_name, country_code, lat, long
            order by count(*) desc, coalesce(sum(minutes_played), 0) desc, artist_name, artist_key
        ) as artist_rank
    from located
    group by city_name, country_code, lat, long, artist_key, artist_name

),

counted as (

    select
        city_name,
        country_code,
        lat,
        long,
        max(country_name) as country_name,
        sum(plays) as plays,
        sum(minutes) as minutes,
        count(*) as artists,
        max(artist_name) filter (where artist_rank = 1) as top_artist_name
    from artist_plays
    group by city_name, country_code, lat, long

),

final as (

    select
        city_name,
        country_code,
        country_name,
        cast(lat as double) as lat,
        cast(long as double) as long,
        cast(plays as bigint) as plays,
        cast(minutes as double) as minutes,
        cast(artists as bigint) as artists,
        top_artist_name
    from counted

)

select * from final
