{#
  report_track_plays is incremental (docs/incremental.md): one row per play, fact_track_played joined with the
  dims. A play's row changes when its listen does (fact_track_played rewrote or deleted it) or when a dim row it
  joins does (an artist's genre or country known now, a track's name, the album's release year: the dims are
  rebuilt whole by every build). The bookkeeping, beside the listen models' (schema `intermediate`):
  - listens_report_dims_seen: a hash of every dim row the last build joined, by dim and key (this build's are
    listens_report_dims_now, a temporary table the pre-hook hashes once; the post-hook writes only the rows
    that changed, listens_report_dims_changed, into listens_report_dims_seen);
  - listens_report_plays_recompute: the plays this build writes again (deleted by the pre-hook first);
  - its row of listens_fact_seen: fact_track_played's applied_at when this model last ran (the tables over the
    plays keep theirs there too: macros/plays_incremental.sql).
  The state row (listens_incremental_state) and the rebuild rules (settings and code fingerprint, upstream
  rebuilt) are the listen models' own (macros/listens_incremental.sql).
#}

{# SQL: every row of the dims report_track_plays joins, hashed whole, by dim and key #}
{% macro report_plays_dims_hashed(artists, albums, tracks, dates, times) %}
    select 'artist' as dim, artist_key as key, hash(artists) as row_hash from {{ artists }} as artists
    union all
    select 'album' as dim, album_key as key, hash(albums) as row_hash from {{ albums }} as albums
    union all
    select 'track' as dim, track_key as key, hash(tracks) as row_hash from {{ tracks }} as tracks
    union all
    select 'date' as dim, cast(date_key as varchar) as key, hash(dates) as row_hash from {{ dates }} as dates
    union all
    select 'time' as dim, cast(time_key as varchar) as key, hash(times) as row_hash from {{ times }} as times
{% endmacro %}


{#
  pre-hook of report_track_plays: the plays to write again (listens_report_plays_recompute), their stored rows
  deleted: the listens fact_track_played rewrote or deleted since this model last ran (it has no built_at: the
  listens int_plays_resolved wrote after fact_track_played's applied_at of then, and fact_track_played's log),
  and the plays of every dim
  row that is new, gone or different since (listens_report_dims_seen). On a rebuild, every row goes.
#}
{% macro report_plays_changes(fact, resolved, artists, albums, tracks, dates, times) %}
  {%- set state = listens_incremental_mode(fact.identifier) -%}
  {%- set recompute = listens_side_table('listens_report_plays_recompute') -%}
  {%- set seen = listens_side_table('listens_report_dims_seen') -%}
  {%- set dims_now = 'listens_report_dims_now' -%}
  {%- set seen_exists = state.mode == 'changes'
      and load_relation(api.Relation.create(
          database=this.database, schema=listens_state_schema(), identifier='listens_report_dims_seen')) is not none -%}
  {#- since when fact_track_played's changes are new to this model: its applied_at when this model last ran (it
      copies the listens int_plays_resolved wrote after its own applied_at; a listen written after this model last
      ran but copied only later is still after it), kept as for the tables over the plays (listens_fact_seen) -#}
  {%- set since = plays_incremental_mode(fact).since if seen_exists else none -%}
  {#- the dims now, hashed once (a temporary table: this model's connection, not the warehouse): compared here,
      kept by the post-hook (report_plays_dims_seen), which writes only the rows that changed
      (listens_report_dims_changed; a row of nulls: every row) -#}
    create or replace temp table {{ dims_now }} as
    {{ report_plays_dims_hashed(artists, albums, tracks, dates, times) }};
    {{ changed_keys_table(
        'listens_report_dims_changed', dims_now, seen, ['dim', 'key'],
        everything=not (state.mode == 'changes' and since is not none)
    ) }}
  {%- if state.mode == 'create' %}
    create or replace table {{ recompute }} (play_key varchar);
  {%- elif state.mode == 'rebuild' %}
    create or replace table {{ recompute }} (play_key varchar);
    delete from {{ this }};
  {%- elif state.mode == 'changes' and since is none %}
    {#- what the last build saw is gone (dropped by hand): every play is written again #}
    create or replace table {{ recompute }} as select play_key from {{ fact }};
    delete from {{ this }};
  {%- elif state.mode == 'changes' %}
    create or replace table {{ recompute }} as
    with dims_changed as (
        select * from listens_report_dims_changed
    ),

    -- fact_track_played copies the listens int_plays_resolved rewrote, and logs those it deleted
    listens_changed as (
        {{ fact_changed_keys(fact, resolved, since) }}
    )

    select key as play_key from listens_changed
    union
    select fact.play_key
    from {{ fact }} as fact
    where
        fact.artist_key in (select key from dims_changed where dim = 'artist')
        or fact.album_key in (select key from dims_changed where dim = 'album')
        or fact.track_key in (select key from dims_changed where dim = 'track')
        or cast(fact.date_key as varchar) in (select key from dims_changed where dim = 'date')
        or cast(fact.time_key as varchar) in (select key from dims_changed where dim = 'time');
    delete from {{ this }} where play_key in (select play_key from {{ recompute }});
  {%- endif -%}
{% endmacro %}


{#
  post-hook of report_track_plays: the dim rows this build joined (the pre-hook's listens_report_dims_now, of
  which only the rows that changed are written: 215k dim rows at 1M listens, a few of which change in a night)
  and how far fact_track_played's changes were applied, for the next build to compare
#}
{% macro report_plays_dims_seen(fact) %}
    {{ write_changed_rows(
        listens_side_table('listens_report_dims_seen'), 'listens_report_dims_now', 'listens_report_dims_changed',
        ['dim', 'key']
    ) }}
    {{ plays_fact_seen(fact.identifier) }}
{% endmacro %}
