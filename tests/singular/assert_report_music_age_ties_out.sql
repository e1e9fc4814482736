-- report_music_age ties out against fact_track_played: its plays and minutes add up to the fact's plays of
-- albums with a release year, the shares to 1, and no age is negative (no row returned = pass).
-- Minutes agree to a relative 1e-9 (a sum in another order differs in its last bits).
with report as (

    select * from {{ ref('report_music_age') }}

),

albums as (

    select * from {{ ref('dim_album') }}

),

facts as (

    select
        count(*) as plays,
        coalesce(sum(plays.minutes_played), 0) as minutes
    from {{ ref('fact_track_played') }} as plays
    inner join albums
        on albums.album_key = plays.album_key
    where plays.counts_as_play and albums.release_year is not null

),

totals as (

    select
        coalesce(sum(plays), 0) as plays,
        coalesce(sum(minutes), 0) as minutes,
        sum(share_of_plays) as share_of_plays,
        min(age_years) as min_age
    from report

)

select
    facts.plays as fact_plays,
    totals.plays as report_plays,
    totals.min_age
from facts
cross join totals
where facts.plays <> totals.plays
    or {{ sums_differ('facts.minutes', 'totals.minutes') }}
    or (facts.plays > 0 and abs(totals.share_of_plays - 1) > 1e-9)
    or totals.min_age < 0
