-- report_artist_first_last ties out against fact_track_played: one row per artist played, their plays and
-- minutes add up to the fact table's, and the first and last plays are the fact's (no row returned = pass).
with artists as (

    select * from {{ ref('report_artist_first_last') }}

),

facts as (

    select
        count(*) as plays,
        coalesce(sum(minutes_played), 0) as minutes,
        count(distinct artist_key) as artists,
        min(played_at_local) as first_played_at_local,
        max(played_at_local) as last_played_at_local
    from {{ ref('fact_track_played') }}
    where counts_as_play

),

totals as (

    select
        count(*) as artists,
        coalesce(sum(plays), 0) as plays,
        coalesce(sum(minutes), 0) as minutes,
        min(first_played_at_local) as first_played_at_local,
        max(last_played_at_local) as last_played_at_local,
        count(*) filter (where first_played_at_local > last_played_at_local) as inverted
    from artists

)

select
    facts.plays as fact_plays,
    totals.plays as report_plays,
    facts.artists as fact_artists,
    totals.artists as report_artists
from facts
cross join totals
where facts.plays <> totals.plays
    or {{ sums_differ('facts.minutes', 'totals.minutes') }}
    or facts.artists <> totals.artists
    or facts.first_played_at_local is distinct from totals.first_played_at_local
    or facts.last_played_at_local is distinct from totals.last_played_at_local
    or totals.inverted > 0
