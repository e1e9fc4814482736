-- report_release_decades ties out against fact_track_played: its plays and minutes add up to the fact's plays
-- and minutes, the shares to 1, and the plays of known decades to the plays of albums with a release year (no
-- row returned = pass).
-- Minutes agree to a relative 1e-9 (a sum in another order differs in its last bits).
with report as (

    select * from {{ ref('report_release_decades') }}

),

albums as (

    select * from {{ ref('dim_album') }}

),

facts as (

    select
        count(*) as plays,
        count(*) filter (where albums.release_year is not null) as dated_plays,
        coalesce(sum(plays.minutes_played), 0) as minutes
    from {{ ref('fact_track_played') }} as plays
    left join albums
        on albums.album_key = plays.album_key
    where plays.counts_as_play

),

totals as (

    select
        coalesce(sum(plays), 0) as plays,
        coalesce(sum(plays) filter (where decade is not null), 0) as dated_plays,
        coalesce(sum(minutes), 0) as minutes,
        sum(share_of_plays) as share_of_plays
    from report

)

select
    facts.plays as fact_plays,
    totals.plays as report_plays,
    facts.dated_plays as fact_dated_plays,
    totals.dated_plays as report_dated_plays
from facts
cross join totals
where facts.plays <> totals.plays
    or facts.dated_plays <> totals.dated_plays
    or {{ sums_differ('facts.minutes', 'totals.minutes') }}
    or (facts.plays > 0 and abs(totals.share_of_plays - 1) > 1e-9)
