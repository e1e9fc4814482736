{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ listens_delete_changed(ref('int_listens__rows_deduplicated'), 'row_key', 'row_key') }}",
    post_hook="{{ listens_record_applied('int_listens__rows_deduplicated') }}",
) }}
-- Which reported rows are one listen: one row per (listen_key, row_key). Sources are taken one at a time,
-- richest first (macros/listens.sql); each row of the next source joins the listen it fits best, or starts
-- a listen of its own. A row fits a listen when it is the same person and the same track (the same Spotify
-- track id, or the same artist and title compared case-, accent- and punctuation-insensitively), its start
-- and end windows overlap the listen's, the two listened lengths agree where both are known, and the listen
-- is not shorter than what the row's source reports at all (30 s for polling and scrobbles). A listen
-- takes at most one row of each source: two rows of one source are never one listen (a replay, "Higher" by
-- two artists in one minute).
-- Matching is by mutual choice: a row and a listen are joined when each is the other's closest fit (the end
-- times compared where both know the end, else the start times), in a few rounds, so that a row whose
-- closest listen was taken by a closer row still finds the next one (two plays of one track in the minute
-- Account data cannot tell apart).
-- Incremental (docs/incremental.md): the rows int_listens__rows_deduplicated rewrote since the last build are
-- whole islands of the time line, and no row of one island fits a listen of another; so a build matches
-- those rows again, alone (its pre-hook deleted their stored matches).
{%- set ms_tolerance = var('merge_ms_played_tolerance') %}
{%- set rounds = var('merge_rounds') %}
{%- set last_rank = other_source_rank() %}
{%- set state = listens_incremental_mode('int_listens__rows_deduplicated') %}
{%- set listen_columns = ['user_id', 'track_id', 'name_key', 'ms_played', 'min_ms_played',
                          'start_lo', 'start_hi', 'end_lo', 'end_hi',
                          'start_guess', 'end_guess', 'start_known', 'end_known', 'start_hour'] %}
with rows_ as materialized (

    select row_key, source_rank, {{ listen_columns | join(', ') }}
    from {{ ref('int_listens__rows_deduplicated') }}
    {%- if state.mode == 'changes' %}
    where built_at > cast('{{ state.applied_at }}' as timestamp)
    {%- endif %}

),

{% for rank in range(last_rank + 1) %}
{%- set previous = 'listens_' ~ (rank - 1) %}

incoming_{{ rank }} as materialized (

    select * from rows_ where source_rank = {{ rank }}

),

{% if rank == 0 %}
matched_{{ rank }} as (

    select null::varchar as listen_key, null::varchar as row_key where false

),
{% else %}
-- each incoming row probes its own hour of start and the hours either side
probes_{{ rank }} as (

    select incoming.*, unnest([incoming.start_hour - 1, incoming.start_hour, incoming.start_hour + 1]) as probe_hour
    from incoming_{{ rank }} as incoming

),

{% for by in ['name_key', 'track_id'] %}
pairs_{{ rank }}_by_{{ by }} as (

    select
        listens.listen_key,
        probes.row_key,
        coalesce(
            case when listens.end_known and probes.end_known then abs(listens.end_guess - probes.end_guess) end,
            case when listens.start_known and probes.start_known then abs(listens.start_guess - probes.start_guess) end,
            abs(listens.start_guess - probes.start_guess)
        ) as distance,
        abs(listens.start_guess - probes.start_guess) as start_distance
    from {{ previous }} as listens
    inner join probes_{{ rank }} as probes
        on probes.user_id = listens.user_id
        and probes.{{ by }} = listens.{{ by }}
        and probes.probe_hour = listens.start_hour
    where probes.start_lo <= listens.start_hi
        and listens.start_lo <= probes.start_hi
        and probes.end_lo <= listens.end_hi
        and listens.end_lo <= probes.end_hi
        and (
            probes.ms_played is null
            or listens.ms_played is null
            or abs(probes.ms_played - listens.ms_played) <= {{ ms_tolerance }}
        )
        -- a source that reports only listens of some length never reports a shorter one
        and coalesce(listens.ms_played, probes.min_ms_played) >= probes.min_ms_played
        and coalesce(probes.ms_played, listens.min_ms_played) >= listens.min_ms_played

),
{% endfor %}

candidates_{{ rank }}_0 as materialized (

    select * from pairs_{{ rank }}_by_name_key
    union
    select * from pairs_{{ rank }}_by_track_id

),

{% for round in range(rounds) %}
{% if round > 0 %}
-- the candidates whose listen and row are both still free
candidates_{{ rank }}_{{ round }} as materialized (

    select candidates.*
    from candidates_{{ rank }}_{{ round - 1 }} as candidates
    anti join chosen_{{ rank }}_{{ round - 1 }} as chosen
        on chosen.listen_key = candidates.listen_key
    anti join chosen_{{ rank }}_{{ round - 1 }} as chosen_row
        on chosen_row.row_key = candidates.row_key

),
{% endif %}

ranked_{{ rank }}_{{ round }} as (

    select
        listen_key,
        row_key,
        row_number() over (
            partition by listen_key order by distance, start_distance, row_key
        ) as listen_choice,
        row_number() over (
            partition by row_key order by distance, start_distance, listen_key
        ) as row_choice
    from candidates_{{ rank }}_{{ round }}

),

chosen_{{ rank }}_{{ round }} as materialized (

    select listen_key, row_key
    from ranked_{{ rank }}_{{ round }}
    where listen_choice = 1 and row_choice = 1

),
{% endfor %}

matched_{{ rank }} as materialized (

    {% for round in range(rounds) -%}
    select listen_key, row_key from chosen_{{ rank }}_{{ round }}
    {{ 'union all' if not loop.last }}
    {% endfor %}

),
{% endif %}

listens_{{ rank }} as materialized (

    {% if rank > 0 %}
    -- the listens so far, their windows narrowed by the row that joined them
    select
        listens.listen_key,
        listens.user_id,
        coalesce(listens.track_id, joined.track_id) as track_id,
        listens.name_key,
        coalesce(listens.ms_played, joined.ms_played) as ms_played,
        greatest(listens.min_ms_played, coalesce(joined.min_ms_played, 0)) as min_ms_played,
        greatest(listens.start_lo, coalesce(joined.start_lo, listens.start_lo)) as start_lo,
        least(listens.start_hi, coalesce(joined.start_hi, listens.start_hi)) as start_hi,
        greatest(listens.end_lo, coalesce(joined.end_lo, listens.end_lo)) as end_lo,
        least(listens.end_hi, coalesce(joined.end_hi, listens.end_hi)) as end_hi,
        case
            when listens.start_known or joined.start_known is not true then listens.start_guess
            else joined.start_guess
        end as start_guess,
        case
            when listens.end_known or joined.end_known is not true then listens.end_guess
            else joined.end_guess
        end as end_guess,
        listens.start_known or coalesce(joined.start_known, false) as start_known,
        listens.end_known or coalesce(joined.end_known, false) as end_known,
        listens.start_hour
    from {{ previous }} as listens
    left join matched_{{ rank }} as matched
        on matched.listen_key = listens.listen_key
    left join incoming_{{ rank }} as joined
        on joined.row_key = matched.row_key

    union all

    {% endif %}
    -- the rows that joined no listen start their own
    select incoming.row_key as listen_key, {{ listen_columns | join(', ') }}
    from incoming_{{ rank }} as incoming
    anti join matched_{{ rank }} as matched
        on matched.row_key = incoming.row_key

),

members_{{ rank }} as materialized (

    {% if rank > 0 %}
    select listen_key, row_key from members_{{ rank - 1 }}
    union all
    select listen_key, row_key from matched_{{ rank }}
    union all
    {% endif %}
    select incoming.row_key as listen_key, incoming.row_key
    from incoming_{{ rank }} as incoming
    anti join matched_{{ rank }} as matched
        on matched.row_key = incoming.row_key

){{ ',' if not loop.last }}
{% endfor %}

select
    listen_key,
    row_key,
    {{ listens_build_time() }} as built_at
from members_{{ last_rank }}
