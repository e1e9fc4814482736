-- fact_track_played has exactly one row per distinct play key of the history (extractors/history.py
-- PLAY_KEY): a play loaded twice counts once, and no play is lost. Returns a row when the counts differ.
with history as (

    select count(distinct {{ play_key_text() }}) as plays
    from {{ ref('stg_history__tracks_played') }}

),

fact as (

    select count(*) as plays
    from {{ ref('fact_track_played') }}

)

select
    history.plays as history_plays,
    fact.plays as fact_plays
from history
cross join fact
where history.plays <> fact.plays
