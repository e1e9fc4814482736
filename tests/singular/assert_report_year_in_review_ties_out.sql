-- report_year_in_review ties out against report_overview and fact_track_played: every year's plays and
-- minutes equal the overview's (plays, hours * 60) and the fact's, every year of the overview is present, the
-- new artists add up to the distinct artists played, and the top lists hold at most 5 names (no row returned
-- = pass).
-- Minutes agree to a relative 1e-9 (a sum in another order differs in its last bits).
with report as (

    select * from {{ ref('report_year_in_review') }}

),

overview as (

    select * from {{ ref('report_overview') }}
    where year is not null

),

fact_years as (

    select
        cast(year(played_at_local) as integer) as year,
        count(*) as plays,
        coalesce(sum(minutes_played), 0) as minutes
    from {{ ref('fact_track_played') }}
    where counts_as_play
    group by year(played_at_local)

),

fact_artists as (

    select count(distinct artist_key) as artists
    from {{ ref('fact_track_played') }}
    where counts_as_play

),

new_artists as (

    select coalesce(sum(new_artists), 0) as artists
    from report

),

per_year as (

    select
        coalesce(report.year, overview.year, fact_years.year) as year,
        'year mismatch' as problem
    from report
    full outer join overview
        on overview.year = report.year
    full outer join fact_years
        on fact_years.year = coalesce(report.year, overview.year)
    where report.plays is distinct from overview.plays
        or report.plays is distinct from fact_years.plays
        or {{ sums_differ('report.minutes', 'overview.hours_listened * 60') }}
        or {{ sums_differ('report.minutes', 'fact_years.minutes') }}
        or len(report.top_artists) > 5
        or len(report.top_tracks) > 5
        or len(report.top_albums) > 5
        or len(report.discovered_artists) > 5
        or len(report.discovered_artists) > report.new_artists

),

artists_total as (

    select
        null::integer as year,
        'new artists do not add up to the artists played' as problem
    from fact_artists
    cross join new_artists
    where fact_artists.artists <> new_artists.artists

)

select * from per_year
union all
select * from artists_total
