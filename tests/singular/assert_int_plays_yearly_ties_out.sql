-- int_plays_yearly (incremental) ties out against fact_track_played: each local year's plays and minutes add up
-- to the year's plays in the fact table, and no year is missing or extra (no row returned = pass).
with stored as (

    select
        year,
        sum(plays) as plays,
        sum(minutes) as minutes
    from {{ ref('int_plays_yearly') }}
    group by year

),

recounted as (

    select
        cast(year(played_at_local) as integer) as year,
        count(*) as plays,
        coalesce(sum(minutes_played), 0) as minutes
    from {{ ref('fact_track_played') }}
    where counts_as_play
    group by all

)

select
    coalesce(stored.year, recounted.year) as year,
    stored.plays as stored_plays,
    recounted.plays as fact_plays
from stored
full outer join recounted
    on recounted.year is not distinct from stored.year
where stored.plays is distinct from recounted.plays
    or {{ sums_differ('coalesce(stored.minutes, 0)', 'coalesce(recounted.minutes, 0)') }}
