-- report_origin_cities ties out against fact_track_played: its plays and minutes add up to the fact's plays
-- of artists with a latitude and a longitude, and each place's top artist was played there (no row returned
-- = pass).
-- Minutes agree to a relative 1e-9 (a sum in another order differs in its last bits).
with report as (

    select * from {{ ref('report_origin_cities') }}

),

artists as (

    select * from {{ ref('dim_artist') }}

),

facts as (

    select
        count(*) as plays,
        coalesce(sum(plays.minutes_played), 0) as minutes
    from {{ ref('fact_track_played') }} as plays
    inner join artists
        on artists.artist_key = plays.artist_key
    where plays.counts_as_play and artists.lat is not null and artists.long is not null

),

totals as (

    select
        coalesce(sum(plays), 0) as plays,
        coalesce(sum(minutes), 0) as minutes,
        count(*) filter (where top_artist_name is null or artists < 1) as rows_without_artist
    from report

)

select
    facts.plays as fact_plays,
    totals.plays as report_plays,
    totals.rows_without_artist
from facts
cross join totals
where facts.plays <> totals.plays
    or {{ sums_differ('facts.minutes', 'totals.minutes') }}
    or totals.rows_without_artist > 0
