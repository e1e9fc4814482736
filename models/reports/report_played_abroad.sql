-- Issue 15, played abroad: for each known country the listens came from (conn_country) other than home (the
-- known country with the most plays), its 5 tracks with the most plays there (ties: minutes, then name), with
-- the track's artist (the artist of most of its plays there).
with plays as (

    select * from {{ ref('fact_track_played') }}
    where counts_as_play and conn_country is not null

),

artists as (

    select * from {{ ref('dim_artist') }}

),

tracks as (

    select * from {{ ref('dim_track') }}

),

countries as (

    select * from {{ ref('countries') }}

),

-- home: the known country with the most plays (ties: minutes, then code)
home as (

    select conn_country
    from plays
    group by conn_country
    order by count(*) desc, sum(minutes_played) desc, conn_country
    limit 1

),

abroad as (

    select plays.*
    from plays
    anti join home
        on home.conn_country = plays.conn_country

),

track_artists as (

    select
        abroad.conn_country,
        abroad.track_key,
        artists.artist_name,
        count(*) as plays,
        coalesce(sum(abroad.minutes_played), 0) as minutes,
        row_number() over (
            partition by abroad.conn_country, abroad.track_key
            order by
                count(*) desc, coalesce(sum(abroad.minutes_played), 0) desc, artists.artist_name,
                abroad.artist_key
        ) as artist_rank
    from abroad
    inner join artists
        on artists.artist_key = abroad.artist_key
    group by abroad.conn_country, abroad.track_key, abroad.artist_key, artists.artist_name

),

tracks_ranked as (

    select
        track_artists.conn_country,
        track_artists.track_key,
        tracks.track_name,
        max(track_artists.artist_name) filter (where track_artists.artist_rank = 1) as artist_name,
        sum(track_artists.plays) as plays,
        sum(track_artists.minutes) as minutes,
        row_number() over (
            partition by track_artists.conn_country
            order by
                sum(track_artists.plays) desc, sum(track_artists.minutes) desc, tracks.track_name,
                track_artists.track_key
        ) as plays_rank
    from track_artists
    inner join tracks
        on tracks.track_key = track_artists.track_key
    group by track_artists.conn_country, track_artists.track_key, tracks.track_name

),

final as (

    select
        tracks_ranked.conn_country,
        coalesce(countries.country_name, tracks_ranked.conn_country) as country_name,
        cast(tracks_ranked.plays_rank as integer) as rank,
        tracks_ranked.track_name,
        tracks_ranked.artist_name,
        cast(tracks_ranked.plays as bigint) as plays,
        cast(tracks_ranked.minutes as double) as minutes
    from tracks_ranked
    left join countries
        on countries.country_code = tracks_ranked.conn_country
    where tracks_ranked.plays_rank <= 5

)

select * from final
