-- report_played_abroad ties out against fact_track_played and report_travel: home (recomputed from the fact:
-- the known country with the most plays) is report_travel's, no row is of home or of an unknown country,
-- every known country other than home that has plays is present, ranks run 1..n without gaps (n <= 5), and
-- each country's rank 1 has as many plays as its most played track there (no row returned = pass).
with report as (

    select * from {{ ref('report_played_abroad') }}

),

travel as (

    select * from {{ ref('report_travel') }}

),

known as (

    select * from {{ ref('fact_track_played') }}
    where counts_as_play and conn_country is not null

),

home as (

    select conn_country
    from known
    group by conn_country
    order by count(*) desc, sum(minutes_played) desc, conn_country
    limit 1

),

track_plays as (

    select
        conn_country,
        track_key,
        count(*) as plays
    from known
    group by conn_country, track_key

),

abroad as (

    select
        track_plays.conn_country,
        max(track_plays.plays) as top_plays,
        least(count(*), 5) as tracks
    from track_plays
    anti join home
        on home.conn_country = track_plays.conn_country
    group by track_plays.conn_country

),

travel_home as (

    select conn_country
    from travel
    where is_home

),

report_countries as (

    select
        conn_country,
        count(*) as tracks,
        max(rank) as max_rank,
        max(plays) filter (where rank = 1) as top_plays
    from report
    group by conn_country

)

select
    coalesce(home.conn_country, travel_home.conn_country) as conn_country,
    null::bigint as fact_top_plays,
    null::bigint as report_top_plays
from home
full outer join travel_home
    on travel_home.conn_country = home.conn_country
where home.conn_country is null or travel_home.conn_country is null

union all

select
    coalesce(abroad.conn_country, report_countries.conn_country) as conn_country,
    abroad.top_plays as fact_top_plays,
    report_countries.top_plays as report_top_plays
from abroad
full outer join report_countries
    on report_countries.conn_country = abroad.conn_country
where abroad.conn_country is null
    or report_countries.conn_country is null
    or abroad.tracks <> report_countries.tracks
    or report_countries.max_rank <> report_countries.tracks
    or abroad.top_plays <> report_countries.top_plays
