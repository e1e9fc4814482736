-- report_origin_continents ties out against fact_track_played: each continent's plays and distinct artists equal
-- a recount of the plays by their artist's continent (dim_artist; 'Unknown' without one), no continent is
-- missing or extra, and the shares of plays add up to 1 (no row returned = pass).
with report as (

    select * from {{ ref('report_origin_continents') }}

),

recount as (

    select
        coalesce(artists.continent, 'Unknown') as continent,
        count(*) as plays,
        count(distinct plays.artist_key) as artists
    from {{ ref('fact_track_played') }} as plays
    inner join {{ ref('dim_artist') }} as artists
        on artists.artist_key = plays.artist_key
    where plays.counts_as_play
    group by coalesce(artists.continent, 'Unknown')

),

shares as (

    select sum(share_of_plays) as share_of_plays from report

),

compared as (

    select
        coalesce(report.continent, recount.continent) as continent,
        report.plays as report_plays,
        recount.plays as fact_plays,
        report.artists as report_artists,
        recount.artists as fact_artists
    from report
    full outer join recount
        on recount.continent = report.continent

)

select
    compared.*,
    shares.share_of_plays
from compared
cross join shares
where compared.report_plays is distinct from compared.fact_plays
    or compared.report_artists is distinct from compared.fact_artists
    or abs(shares.share_of_plays - 1) > 1e-9
