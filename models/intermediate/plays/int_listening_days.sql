{{ config(
    pre_hook="{{ plays_changes(
        ref('fact_track_played'), ref('int_plays_resolved'),
        'local_date date',
        'select distinct cast(played_at_local as date) from changed where played_at_local is not null',
        'stored.local_date = recompute.local_date'
    ) }}",
) }}
-- Days with music: one row per local date with at least one play, of everyone, with its plays, minutes and
-- first and last play (report_streaks cuts them into runs of consecutive days).
-- Incremental (macros/plays_incremental.sql): a build writes again the days a changed play is on, or was on.
with fact_track_played as (

    select * from {{ ref('fact_track_played') }}

),

plays as (

    select
        cast(played_at_local as date) as local_date,
        played_at_local,
        coalesce(minutes_played, 0) as minutes_played
    from fact_track_played
    where counts_as_play

),

-- on an incremental build, the plays of the days written again
chosen as (

    {{ plays_chosen('plays', 'recompute.local_date = plays.local_date') }}

),

final as (

    select
        local_date,
        cast(count(*) as bigint) as plays,
        cast(sum(minutes_played) as double) as minutes,
        min(played_at_local) as first_played_at_local,
        max(played_at_local) as last_played_at_local,
        {{ listens_build_time() }} as built_at
    from chosen
    group by local_date

)

select * from final
