{#
  The incremental models over fact_track_played's plays (models/intermediate/plays; docs/incremental.md,
  "Sessions, streaks and tops"): int_listening_sessions, int_artist_runs, int_listening_days, int_plays_yearly.
  Their materialization and post-hooks are set for the folder in dbt_project.yml. A session, a run of one artist or a day
  depends on the plays around it, so a changed play rewrites what follows it in time:
  - what changed: the plays fact_track_played rewrote or deleted since the model last ran, where they are now
    (fact_track_played) and where they were (listens_fact_changes: fact_track_played's pre-hook keeps the rows
    it deletes, as they were);
  - each model's pre-hook turns that into what it writes again (per person, everything from a point in time on;
    or a set of days) in listens_recompute_<model>, deletes those rows, and the model's SQL selects the plays
    of them.
  "Since the model last ran" is fact_track_played's applied_at then (listens_fact_seen, one row per model),
  as for report_track_plays: a --select that builds the model before fact_track_played misses nothing. The
  state row, the fingerprint and the rebuild rules are the listen models' (macros/listens_incremental.sql).
#}

{# where a play starts: started_at, else (a polled play knows only its end) its minutes before played_at #}
{% macro play_span_start(started_at='started_at', played_at='played_at', minutes='minutes_played') -%}
    coalesce(
        {{ started_at }},
        {{ played_at }} - to_milliseconds(cast(round(coalesce({{ minutes }}, 0) * 60000) as bigint))
    )
{%- endmacro %}


{#
  SQL: the rows of CTE `cte` this build writes again: on an incremental build, those for which `condition` (over
  `cte` and the recompute table, `recompute`) holds for a row of the recompute table; else every row
#}
{% macro plays_chosen(cte, condition) -%}
    select {{ cte }}.*
    from {{ cte }}
    {%- if plays_incremental_mode(ref('fact_track_played')).mode == 'changes' %}
    where exists (
        select 1
        from {{ plays_recompute_table() }} as recompute
        where {{ condition }}
    )
    {%- endif %}
{%- endmacro %}


{# the recompute table of this model #}
{% macro plays_recompute_table() %}
  {{ return(listens_side_table('listens_recompute_' ~ this.identifier)) }}
{% endmacro %}


{#
  How this model is built now, as listens_incremental_mode, and since when fact_track_played's changes are new
  to it ('changes' turns into 'rebuild' when the bookkeeping of its last build is gone)
#}
{% macro plays_incremental_mode(fact) %}
  {%- set state = listens_incremental_mode(fact.identifier) -%}
  {%- if state.mode != 'changes' -%}
    {{ return({'mode': state.mode, 'since': none}) }}
  {%- endif -%}
  {%- set rows = run_query(
      "select strftime(applied_at, '%Y-%m-%d %H:%M:%S.%f') from " ~ listens_side_table('listens_fact_seen')
      ~ " where model = " ~ sql_string(this.identifier) ~ " and applied_at is not null"
  ).rows -%}
  {%- if rows | length != 1 -%}
    {{ return({'mode': 'rebuild', 'since': none}) }}
  {%- endif -%}
  {{ return({'mode': 'changes', 'since': rows[0][0]}) }}
{% endmacro %}


{#
  SQL: the keys of the plays fact_track_played rewrote or deleted since `since` (its applied_at when the reader
  last ran). It has no built_at of its own: it copies the listens int_plays_resolved wrote after its own
  applied_at, and logs those it deletes. report_track_plays and the models here read it.
#}
{% macro fact_changed_keys(fact, resolved, since) %}
    {{ listens_changed_keys(resolved, 'play_key', since) }}
    union
    select key
    from {{ listens_side_table('listens_incremental_log') }}
    where model = {{ sql_string(fact.identifier) }}
        and built_at > cast('{{ since }}' as timestamp)
{% endmacro %}


{#
  SQL: every play fact_track_played rewrote or deleted since `since`, where it is now and where it was (a
  play rewritten gives two rows; one added, or deleted, one): play_key, user_id, started_at, played_at,
  played_at_local, minutes_played
#}
{% macro fact_changed_plays(fact, resolved, since) %}
    select play_key, user_id, started_at, played_at, played_at_local, minutes_played
    from {{ fact }}
    where play_key in (
        {{ fact_changed_keys(fact, resolved, since) }}
    )
    union all
    select play_key, user_id, started_at, played_at, played_at_local, minutes_played
    from {{ listens_side_table('listens_fact_changes') }}
    where built_at > cast('{{ since }}' as timestamp)
{% endmacro %}


{#
  pre-hook: `recompute_sql` (SQL over `changed`, fact_changed_plays, and the model's stored rows `stored`) says
  what to write again into the recompute table; `delete_where` (over the model's rows `stored` and the recompute
  table `recompute`) which stored rows go. On a rebuild every row goes (the recompute table stays empty: the
  model's SQL then reads every play).
#}
{% macro plays_changes(fact, resolved, recompute_columns, recompute_sql, delete_where) %}
  {%- set state = plays_incremental_mode(fact) -%}
  {%- set recompute = plays_recompute_table() -%}
    create or replace table {{ recompute }} ({{ recompute_columns }});
  {%- if state.mode == 'rebuild' %}
    delete from {{ this }};
  {%- elif state.mode == 'changes' %}
    insert into {{ recompute }}
    with changed as (
        {{ fact_changed_plays(fact, resolved, state.since) }}
    ),
    stored as (
        select * from {{ this }}
    )
    {{ recompute_sql }};
    delete from {{ this }} as stored
    using {{ recompute }} as recompute
    where {{ delete_where }};
  {%- endif %}
{% endmacro %}


{#
  post-hook: fact_track_played's applied_at now, the point from which its changes are new to this model next
  time
#}
{% macro plays_fact_seen(fact_name='fact_track_played') %}
    delete from {{ listens_side_table('listens_fact_seen') }} where model = {{ sql_string(this.identifier) }};
    insert into {{ listens_side_table('listens_fact_seen') }}
    select {{ sql_string(this.identifier) }}, applied_at
    from {{ listens_side_table('listens_incremental_state') }}
    where model = {{ sql_string(fact_name) }};
{% endmacro %}


{#
  int_listening_sessions writes again, per person with a changed play, every session from the first one that
  ends less than the gap before the earliest change (where a changed play starts now, or started) on: an earlier
  session ends the gap or more before any change, so it neither changes nor joins a later one, and the first
  play after it still opens a session. Without such a session, from the earliest change on.
#}
{% macro sessions_recompute_sql() %}
    , earliest as (
        select user_id, min({{ play_span_start() }}) as changed_from
        from changed
        group by user_id
    )
    select
        earliest.user_id,
        least(earliest.changed_from, coalesce(min(stored.started_at), earliest.changed_from)) as recompute_from
    from earliest
    left join stored
        on stored.user_id is not distinct from earliest.user_id
        and stored.ended_at >= earliest.changed_from - interval ({{ var('report_session_gap_minutes', 30) }}) minute
    group by earliest.user_id, earliest.changed_from
{% endmacro %}


{#
  int_artist_runs writes again, per person with a changed play, every run from the last one that starts before
  the earliest change (in the order of played_at, then play_key; where a changed play is now, or was) on: its
  first play is still a run's first (the play before it, earlier still, is unchanged), so the runs before it
  stand. Without such a run, from the earliest change on (there is no play before it).
#}
{% macro artist_runs_recompute_sql() %}
    , earliest as (
        select user_id, played_at as changed_at, play_key as changed_key
        from changed
        qualify row_number() over (partition by user_id order by played_at, play_key) = 1
    ),
    -- the latest first play before the change (max of (played_at, play_key): an aggregate, not a sort of the runs)
    run_before as (
        select stored.user_id, max((stored.first_played_at, stored.first_play_key)) as first_play
        from stored
        inner join earliest
            on earliest.user_id is not distinct from stored.user_id
        where stored.first_played_at < earliest.changed_at
            or (stored.first_played_at = earliest.changed_at and stored.first_play_key < earliest.changed_key)
        group by stored.user_id
    )
    select
        earliest.user_id,
        coalesce(run_before.first_play[1], earliest.changed_at) as from_played_at,
        coalesce(run_before.first_play[2], earliest.changed_key) as from_play_key
    from earliest
    left join run_before
        on run_before.user_id is not distinct from earliest.user_id
{% endmacro %}


{# (played_at, play_key) of a play at or after the recompute table's (from_played_at, from_play_key) #}
{% macro artist_runs_from(played_at, play_key) -%}
    ({{ played_at }} > recompute.from_played_at
        or ({{ played_at }} = recompute.from_played_at and {{ play_key }} >= recompute.from_play_key))
{%- endmacro %}
