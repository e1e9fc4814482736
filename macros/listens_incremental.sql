{#
  The incremental listen models (docs/incremental.md): int_listens__rows_deduplicated,
  int_listens__rows_matched_to_listens, int_listens__rows_combined_into_listens, int_plays_resolved and
  fact_track_played. A build recomputes only the listens that what is new can touch; `dbt build --full-refresh`
  gives the same tables.

  Their bookkeeping lives in schema `intermediate`, beside them (tables, not models):
  - listens_incremental_state: per model, when it last applied its inputs (applied_at, the build's
    run_started_at), when it last rebuilt every row (full_at), and the fingerprint of the settings and code
    it was built with (a change rebuilds every row).
  - listens_incremental_log: the keys each model deleted, per build, for the model after it.
  - listens_fact_changes, listens_fact_seen: the rows fact_track_played deleted, as they were, and how far the
    models that order its plays in time have read them (macros/plays_incremental.sql).
  - listens_history_seen: the hash, merge interval and played_at of every history row the last build saw, and
    listens_history_files: the files it read them from (name, size, modification time).
  - listens_history_changes, listens_history_ranges: what this build found new or gone in the history, and
    the time ranges (islands) it recomputes.
  - listens_history_islands: the islands of the rows seen, kept for the next build, and
    listens_history_islands_of: the count and hash sum of the rows they are the islands of (a build whose
    listens_history_seen no longer matches, or that finds a row gone, cuts them again from every row).
  - listens_lookups_applied: the enrichment int_plays_resolved was last built with.
#}

{% macro listens_state_schema() %}{{ return('intermediate') }}{% endmacro %}

{% macro listens_side_table(name) %}{{ return(listens_state_schema() ~ '.' ~ name) }}{% endmacro %}


{# on-run-start: the bookkeeping tables, empty when new #}
{% macro create_listens_incremental_state() %}
  {%- if execute -%}
    {%- do run_query('create schema if not exists ' ~ listens_state_schema()) -%}
    {%- do run_query(
        'create table if not exists ' ~ listens_side_table('listens_incremental_state')
        ~ ' (model varchar, applied_at timestamp, full_at timestamp, fingerprint varchar)'
    ) -%}
    {%- do run_query(
        'create table if not exists ' ~ listens_side_table('listens_incremental_log')
        ~ ' (model varchar, key varchar, built_at timestamp)'
    ) -%}
    {#- the rows fact_track_played deleted, as they were, for the models that order its plays in time
        (macros/plays_incremental.sql) -#}
    {%- do run_query(
        'create table if not exists ' ~ listens_side_table('listens_fact_changes')
        ~ ' (play_key varchar, user_id varchar, started_at timestamp, played_at timestamp,'
        ~ ' played_at_local timestamp, minutes_played double, built_at timestamp)'
    ) -%}
    {%- do run_query(
        'create table if not exists ' ~ listens_side_table('listens_fact_seen')
        ~ ' (model varchar, applied_at timestamp)'
    ) -%}
  {%- endif -%}
{% endmacro %}


{# this build's time: the value of built_at in the rows it writes #}
{% macro listens_build_time() -%}
  {%- if run_started_at is defined -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
  {%- else -%}
    {#- outside dbt (the SQL linter) -#}
    current_timestamp
  {%- endif -%}
{%- endmacro %}


{#
  What a model's rows depend on besides its inputs: the vars of docs/listens.md, USER_ID, the listener's time
  zone, the sources' attributes, the rules it calls (as they render), its own code and the code of the views it
  reads. A change makes the next build rebuild every row.
#}
{% macro listens_fingerprint() %}
  {%- set parts = [
      model.raw_code,
      'incremental listens 1',
      listen_sources() | string,
      var('min_play_seconds') | string,
      var('merge_tolerance_seconds') | string,
      var('merge_ms_played_tolerance') | string,
      var('merge_rounds') | string,
      var('longest_listen_seconds') | string,
      var('unknown_length_seconds') | string,
      env_var('USER_ID', 'me'),
      listener_timezone() | string,
      play_key_text() | string,
      spotify_track_id('a', 'b') | string,
      listen_name_key(primary_artist_name('a'), 'b') | string,
      normalized_name('a') | string,
      is_name_only('a', 'b', 'c') | string,
      track_search_key('a', 'b') | string,
      artist_search_key('a') | string,
      local_time('a', 'b') | string,
      surrogate_key(['a']) | string,
      spotify_artist_by_name('a') | string,
      mbid_spotify_artists('a', 'b') | string,
  ] -%}
  {#- settings of its own a model names in config(meta={'fingerprint': ...}) (the session gap) -#}
  {%- if model.config.meta is defined and model.config.meta.get('fingerprint') is not none -%}
    {%- do parts.append(model.config.meta.get('fingerprint') | string) -%}
  {%- endif -%}
  {#- the code of the views it reads (int_listens__rows_windowed, int_plays_lookups) -#}
  {%- for parent in model.depends_on.nodes if parent in graph.nodes -%}
    {%- if graph.nodes[parent].config.materialized == 'view' -%}
      {%- do parts.append(graph.nodes[parent].raw_code) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(local_md5(parts | join('\x1f'))) }}
{% endmacro %}


{#
  How this model is built now:
  - 'create': not incremental (the table is new, or --full-refresh): every row, no bookkeeping to read;
  - 'rebuild': incremental, but every row is recomputed (no state yet, settings or code changed, or the
    upstream model rebuilt every row since this one last ran);
  - 'changes': only what changed since `applied_at` (returned with the mode).
#}
{% macro listens_incremental_mode(upstream=none) %}
  {#- a unit test (no relation of its own) builds from its given rows alone -#}
  {%- if not execute or this is none or model.resource_type != 'model' or not is_incremental() -%}
    {{ return({'mode': 'create', 'applied_at': none}) }}
  {%- endif -%}
  {#- asked once per rendering (the model's SQL, or its hooks, which all ask): the pre-hook runs before the
      model writes anything, and the post-hooks read the same state as it did -#}
  {%- set memo = '__rws_incremental_mode:' ~ (upstream or '') -%}
  {%- if model is mapping and memo in model -%}
    {{ return(model[memo]) }}
  {%- endif -%}
  {%- set state = listens_side_table('listens_incremental_state') -%}
  {%- set rows = run_query(
      "select strftime(applied_at, '%Y-%m-%d %H:%M:%S.%f'), fingerprint, "
      ~ "(select max(full_at) from " ~ state ~ " where model = " ~ sql_string(upstream or '') ~ ") > applied_at "
      ~ "from " ~ state ~ " where model = " ~ sql_string(this.identifier)
  ).rows -%}
  {%- if rows | length == 0 or rows[0][1] != listens_fingerprint() or rows[0][2] -%}
    {%- set found = {'mode': 'rebuild', 'applied_at': none} -%}
  {%- else -%}
    {%- set found = {'mode': 'changes', 'applied_at': rows[0][0]} -%}
  {%- endif -%}
  {%- if model is mapping -%}
    {%- do model.update({memo: found}) -%}
  {%- endif -%}
  {{ return(found) }}
{% endmacro %}


{# SQL: the keys `upstream` rewrote or deleted after `applied_at` #}
{% macro listens_changed_keys(upstream, key, applied_at) %}
    select {{ key }} as key
    from {{ upstream }}
    where built_at > cast('{{ applied_at }}' as timestamp)
    union
    select key
    from {{ listens_side_table('listens_incremental_log') }}
    where model = {{ sql_string(upstream.identifier) }}
        and built_at > cast('{{ applied_at }}' as timestamp)
{% endmacro %}


{#
  pre-hook of a model downstream of another incremental listen model: deletes (and logs) the rows whose key
  is among the keys `upstream` changed since this model last ran, or every row on a rebuild. The model's SQL
  then selects exactly those rows again (listens_incremental_mode, listens_changed_keys).
#}
{% macro listens_delete_changed(upstream, upstream_key, key, keep_rows=false) %}
  {%- set state = listens_incremental_mode(upstream.identifier) -%}
  {%- set log = listens_side_table('listens_incremental_log') -%}
  {%- if state.mode == 'rebuild' -%}
    delete from {{ this }};
  {%- elif state.mode == 'changes' -%}
    create or replace temp table listens_changed_keys as
    {{ listens_changed_keys(upstream, upstream_key, state.applied_at) }};
    insert into {{ log }}
    select {{ sql_string(this.identifier) }}, {{ key }}, {{ listens_build_time() }}
    from {{ this }}
    where {{ key }} in (select key from listens_changed_keys);
    {%- if keep_rows %}
    {#- fact_track_played: where and when the deleted plays were (listens_fact_changes) #}
    insert into {{ listens_side_table('listens_fact_changes') }}
    select play_key, user_id, started_at, played_at, played_at_local, minutes_played, {{ listens_build_time() }}
    from {{ this }}
    where {{ key }} in (select key from listens_changed_keys);
    {%- endif %}
    delete from {{ this }} where {{ key }} in (select key from listens_changed_keys);
  {%- endif -%}
{% endmacro %}


{#
  post-hook of every incremental listen model: records that this build applied its inputs (and rebuilt every
  row, unless it only applied changes); the log entries every model has applied go at the run's end
  (prune_listens_bookkeeping). `upstream`
  is the model its pre-hook reads changes from, as there: a rebuild because the upstream rebuilt is a rebuild
  (full_at), so the models after it rebuild too instead of taking every row as a change.
#}
{% macro listens_record_applied(upstream=none) %}
  {%- set state = listens_incremental_mode(upstream) -%}
  {%- set table = listens_side_table('listens_incremental_state') -%}
  {%- set full_at = 'full_at' if state.mode == 'changes' else listens_build_time() -%}
    create or replace temp table listens_state_row as
    select
        {{ sql_string(this.identifier) }} as model,
        {{ listens_build_time() }} as applied_at,
        coalesce(
            {{ full_at if state.mode != 'changes' else '(select full_at from ' ~ table ~ ' where model = ' ~ sql_string(this.identifier) ~ ')' }},
            {{ listens_build_time() }}
        ) as full_at,
        {{ sql_string(listens_fingerprint()) }} as fingerprint;
    delete from {{ table }} where model = {{ sql_string(this.identifier) }};
    insert into {{ table }} select * from listens_state_row;
{% endmacro %}


{#
  on-run-end: drops the log entries and the fact's deleted rows every model has already applied. Once per
  run, not in each model's post-hook: a build may run several models at once (scripts/enrich.py gives a
  night's build threads), and two of them deleting the same old rows would conflict in DuckDB ("Conflict on
  tuple deletion"); each model only writes its own row of the state and appends to the log.
#}
{% macro prune_listens_bookkeeping() %}
  {%- set table = listens_side_table('listens_incremental_state') -%}
    delete from {{ listens_side_table('listens_incremental_log') }}
    where built_at <= (select min(applied_at) from {{ table }});
    delete from {{ listens_side_table('listens_fact_changes') }}
    where built_at <= (select min(applied_at) from {{ table }})
{% endmacro %}



{#
  SQL: the history files now, by name, size and modification time (read_blob reads no content when only these
  are selected), the way the raw view (raw.tracks_played) names them in source_file
#}
{% macro listens_history_files_sql() %}
  {%- set pattern = absolute_path(raw_data_dir()) ~ '/src/tracks_played/*.parquet' -%}
  {%- set found = run_query('select count(*) from glob(' ~ sql_string(pattern) ~ ')').columns[0].values()[0] -%}
  {%- if found > 0 -%}
    select filename as source_file, size, last_modified from read_blob({{ sql_string(pattern) }})
  {%- else -%}
    select null::varchar as source_file, null::bigint as size, null::timestamptz as last_modified where false
  {%- endif -%}
{% endmacro %}

{# SQL: the islands (lo, hi) of the merge intervals `rows_sql` selects (merge_lo, merge_hi): an island starts where
   no earlier interval reaches, so two intervals that touch are in one island #}
{% macro listens_islands_sql(rows_sql) %}
    with history_rows as (
        {{ rows_sql }}
    ),
    flagged as (
        select
            *,
            coalesce(
                merge_lo > max(merge_hi) over (
                    order by merge_lo, merge_hi rows between unbounded preceding and 1 preceding
                ),
                true
            ) as starts
        from history_rows
    ),
    numbered as (
        select
            *,
            sum(case when starts then 1 else 0 end) over (
                order by merge_lo, merge_hi rows between unbounded preceding and current row
            ) as island
        from flagged
    )
    select min(merge_lo) as lo, max(merge_hi) as hi
    from numbered
    group by island
{% endmacro %}


{# SQL: one row, the rows of a table of history rows and the sum of their hashes (which rows they are, as a
   multiset, short of a 64-bit collision) #}
{% macro listens_rows_checksum_sql(table) -%}
    (select count(*) as n, coalesce(sum(cast(row_hash as hugeint)), 0) as hash_sum from {{ table }})
{%- endmacro %}


{# SQL: true when the islands kept from the last build (listens_history_islands) are those of the rows seen
   (listens_history_islands_of counts and sums them as listens_history_seen holds them now) and this build only
   adds rows: the new islands are then the kept ones an added row reaches, joined with the added rows #}
{% macro listens_history_islands_kept_sql(seen, changes) %}
  {%- set kept = [] -%}
  {%- for name in ['listens_history_islands', 'listens_history_islands_of'] -%}
    {%- do kept.append(load_relation(api.Relation.create(
        database=this.database, schema=listens_state_schema(), identifier=name)) is not none) -%}
  {%- endfor -%}
  {%- if kept[0] and kept[1] -%}
    select
        coalesce((
            select kept.n = now.n and kept.hash_sum = now.hash_sum
            from {{ listens_side_table('listens_history_islands_of') }} as kept,
                {{ listens_rows_checksum_sql(seen) }} as now
        ), false)
        and not exists (select 1 from {{ changes }} where not added)
  {%- else -%}
    select false
  {%- endif -%}
{% endmacro %}


{#
  SQL (in the pre-hook, once the islands are known): the first and last played_at of the history rows in the
  islands recomputed, as this connection's variables rws_history_played_lo and _hi (null: unknown, or a row of
  them has no played_at). The model reads only the history rows played between the two
  (listens_history_played_between): its files are read by row group, and a row group whose times lie outside
  is skipped without being read, where a filter on merge_lo alone, computed from every row, read them all.
  Every history row now is one listens_history_seen holds or one this build adds, with the same merge interval
  and played_at (both follow from the row), so the rows with a merge interval in the islands are all between.
#}
{% macro listens_history_played_sql(seen, changes, ranges) %}
    {%- set in_ranges = listens_history_rows_in_ranges_sql(seen, changes, ranges, 'played_at') -%}
    set variable rws_history_played_lo = (
        select case when count(*) = count(played_at) then min(played_at) end from {{ in_ranges }}
    );
    set variable rws_history_played_hi = (
        select case when count(*) = count(played_at) then max(played_at) end from {{ in_ranges }}
    )
{% endmacro %}


{# SQL, a subquery: `column` of the history rows seen or added whose merge_lo lies in one of the islands of
   `ranges` (the rows between the first and the last island, first: materialized, else the asof join would
   sort every row before the filter on the islands' span reached it) #}
{% macro listens_history_rows_in_ranges_sql(seen, changes, ranges, column) %}
    (
        with history as not materialized (
            select merge_lo, {{ column }} from {{ seen }}
            union all
            select merge_lo, {{ column }} from {{ changes }} where added
        ),
        near as materialized (
            select *
            from history
            where merge_lo between (select min(lo) from {{ ranges }}) and (select max(hi) from {{ ranges }})
        )
        select near.{{ column }}
        from near
        asof inner join {{ ranges }} as ranges
            on near.merge_lo >= ranges.lo
        where near.merge_lo <= ranges.hi
    )
{% endmacro %}


{# SQL: the bounds of listens_history_played_sql, for `played_at between ...` (unknown: the whole time line) #}
{% macro listens_history_played_between() -%}
    coalesce(getvariable('rws_history_played_lo'), cast('-infinity' as timestamp))
    and coalesce(getvariable('rws_history_played_hi'), cast('infinity' as timestamp))
{%- endmacro %}


{#
  pre-hook of int_listens__rows_deduplicated. The history rows this build sees (`windowed`: every row with
  its hash, merge interval and upgrade key) are compared with the ones the last build saw
  (listens_history_seen): a row is new (a new file, a file replaced by hand) or gone (a file removed).
  The merge intervals of the rows seen now and of the rows gone split the time line into islands: rows of two
  islands are never merged nor ordered one after the other within a source. An island holding a new or gone
  row is recomputed whole, and so is every island holding a row that shares an upgrade key with a row of a
  recomputed island (a row loaded twice, or imported before ms_played was kept, may lie elsewhere: an offline
  listen is dated by its start, its older import by its sync), until no island is added. Their stored rows
  are deleted (and logged for the models after); the model's SQL selects the history rows in them
  (listens_history_ranges). On a rebuild the one island is the whole time line.
  What is new is found from the files: when every file the last build saw (listens_history_files: name, size,
  modification time) is still there unchanged, no row is gone and the new rows are those of the other files
  (read alone: a filter on source_file) whose hash was not seen; else every row's hash is compared. The files
  now are kept (listens_history_files_now) for the post-hook, before any row is read.
#}
{% macro listens_history_changes(windowed) %}
  {%- set state = listens_incremental_mode() -%}
  {%- set seen = listens_side_table('listens_history_seen') -%}
  {%- set changes = listens_side_table('listens_history_changes') -%}
  {%- set ranges = listens_side_table('listens_history_ranges') -%}
  {%- set log = listens_side_table('listens_incremental_log') -%}
  {%- if state.mode == 'changes' and load_relation(api.Relation.create(
          database=this.database, schema=listens_state_schema(), identifier='listens_history_seen')) is none -%}
    {%- set state = {'mode': 'rebuild'} -%}
  {%- endif -%}
  {%- set files_now = listens_side_table('listens_history_files_now') -%}
  {%- set files_seen = listens_side_table('listens_history_files') -%}
  {%- if execute -%}
    {%- do run_query('create or replace table ' ~ files_now ~ ' as ' ~ listens_history_files_sql()) -%}
  {%- endif -%}
  {%- if execute and state.mode == 'changes' -%}
    {#- the new files, when every file seen is still there as it was; else none (every row is compared) -#}
    {%- set new_files = none -%}
    {%- if load_relation(api.Relation.create(
            database=this.database, schema=listens_state_schema(), identifier='listens_history_files')) is not none -%}
      {%- set unchanged = run_query(
          'select (select count(*) from ' ~ files_seen ~ ') = (select count(*) from ' ~ files_seen
          ~ ' inner join ' ~ files_now ~ ' using (source_file, size, last_modified))'
      ).columns[0].values()[0] -%}
      {%- if unchanged -%}
        {%- set new_files = run_query(
            'select source_file from ' ~ files_now ~ ' anti join ' ~ files_seen ~ ' using (source_file) order by 1'
        ).columns[0].values() -%}
      {%- endif -%}
    {%- endif -%}
    {%- call statement('listens_history_changes') -%}
    create or replace table {{ changes }} as
    {%- if new_files is not none %}
    -- every file seen is unchanged: the rows of the new files whose hash was not seen are new, none is gone
    with now_seen as (
        select distinct row_hash, upgrade_key, merge_lo, merge_hi, played_at
        from {{ windowed }}
        where {% if new_files | length > 0 -%}
            source_file in ({% for file in new_files %}{{ sql_string(file) }}{{ ', ' if not loop.last }}{% endfor %})
        {%- else -%} false {%- endif %}
    )
    select
        now_seen.row_hash, now_seen.upgrade_key, now_seen.merge_lo, now_seen.merge_hi, true as added,
        now_seen.played_at
    from now_seen
    anti join {{ seen }} as seen
        on seen.row_hash = now_seen.row_hash
    {%- else %}
    with now_seen as (
        select distinct row_hash, upgrade_key, merge_lo, merge_hi, played_at from {{ windowed }}
    )
    select
        coalesce(now_seen.row_hash, seen.row_hash) as row_hash,
        coalesce(now_seen.upgrade_key, seen.upgrade_key) as upgrade_key,
        coalesce(now_seen.merge_lo, seen.merge_lo) as merge_lo,
        coalesce(now_seen.merge_hi, seen.merge_hi) as merge_hi,
        seen.row_hash is null as added,
        coalesce(now_seen.played_at, seen.played_at) as played_at
    from now_seen
    full outer join {{ seen }} as seen
        on seen.row_hash = now_seen.row_hash
    where now_seen.row_hash is null or seen.row_hash is null
    {%- endif %}
    {%- endcall -%}
    {%- call statement('listens_history_ranges') -%}
    create or replace table {{ ranges }} (lo double, hi double)
    {%- endcall -%}
    {%- if run_query('select count(*) from ' ~ changes).columns[0].values()[0] > 0 -%}
      {#- the islands of every row seen now or gone: those kept from the last build (listens_history_islands,
          valid while listens_history_islands_of still counts and sums the rows of listens_history_seen)
          when this build only adds rows, else cut again from every row -#}
      {%- set kept = run_query(listens_history_islands_kept_sql(seen, changes)).columns[0].values()[0] -%}
      {%- call statement('listens_history_islands') -%}
      {%- if kept %}
      -- the kept islands an added row reaches: with the added rows, their islands are the new ones there (an
      -- island no added row reaches stays as it was: no added row touches its span)
      create or replace temp table listens_history_islands_touched as
      select islands.lo, islands.hi
      from {{ listens_side_table('listens_history_islands') }} as islands
      semi join {{ changes }} as added
          on added.merge_lo <= islands.hi and added.merge_hi >= islands.lo
      where
          islands.hi >= (select min(merge_lo) from {{ changes }})
          and islands.lo <= (select max(merge_hi) from {{ changes }});

      create or replace temp table listens_history_islands_new as
      {{ listens_islands_sql(
          'select lo as merge_lo, hi as merge_hi from listens_history_islands_touched'
          ~ ' union all select merge_lo, merge_hi from ' ~ changes
      ) }};

      delete from {{ listens_side_table('listens_history_islands') }}
      where lo in (select lo from listens_history_islands_touched);

      insert into {{ listens_side_table('listens_history_islands') }}
      select lo, hi from listens_history_islands_new;

      -- every island of the rows seen now: the islands an added row is in are the new ones
      insert into {{ ranges }}
      select lo, hi from listens_history_islands_new;
      {%- else %}
      -- every row seen now or gone, and the islands of their merge intervals: an island starts where no
      -- earlier interval reaches
      create or replace table {{ listens_side_table('listens_history_islands') }} as
      {{ listens_islands_sql(
          'select merge_lo, merge_hi from ' ~ seen
          ~ ' union all select merge_lo, merge_hi from ' ~ changes ~ ' where added'
      ) }};

      -- the islands of the changed rows
      insert into {{ ranges }}
      select distinct islands.lo, islands.hi
      from {{ changes }} as changed
      asof inner join {{ listens_side_table('listens_history_islands') }} as islands
          on changed.merge_lo >= islands.lo;
      {%- endif %}

      -- the islands are kept for the next build when they are those of the rows it will see: no row is gone
      -- (else the next build cuts them again)
      create or replace table {{ listens_side_table('listens_history_islands_of') }} as
      select
          seen.n + added.n as n,
          seen.hash_sum + added.hash_sum as hash_sum
      from {{ listens_rows_checksum_sql(seen) }} as seen,
          {{ listens_rows_checksum_sql(changes) }} as added
      where not exists (select 1 from {{ changes }} where not added)
      {%- endcall -%}
      {%- set grown = namespace(count=-1, done=false) -%}
      {%- for step in range(50) -%}
        {#- Jinja has no break: once no island is added, the remaining steps ask nothing -#}
        {%- set count = -1 if grown.done else run_query('select count(*) from ' ~ ranges).columns[0].values()[0] -%}
        {%- if grown.done or count == grown.count -%}
          {%- set grown.done = true -%}
        {%- else -%}
          {%- set grown.count = count -%}
          {%- call statement('listens_history_upgrades') -%}
          -- the islands of rows sharing an upgrade key with a row of an island recomputed
          insert into {{ ranges }}
          with history as not materialized (
              select upgrade_key, merge_lo from {{ seen }}
              union all
              select upgrade_key, merge_lo from {{ changes }} where added
          ),
          in_ranges as (
              select upgrade_key from {{ listens_history_rows_in_ranges_sql(seen, changes, ranges, 'upgrade_key') }}
          ),
          partners as (
              select history.merge_lo
              from history
              semi join in_ranges
                  on in_ranges.upgrade_key = history.upgrade_key
          )
          select distinct islands.lo, islands.hi
          from partners
          asof inner join {{ listens_side_table('listens_history_islands') }} as islands
              on partners.merge_lo >= islands.lo
          anti join {{ ranges }} as ranges
              on ranges.lo = islands.lo
          {%- endcall -%}
        {%- endif -%}
      {%- endfor -%}
      {%- if not grown.done -%}
        {#- still growing after 50 steps: the whole time line -#}
        {%- do run_query('delete from ' ~ ranges ~ "; insert into " ~ ranges
            ~ " select cast('-infinity' as double), cast('infinity' as double)") -%}
      {%- endif -%}
    {%- endif -%}
    {%- call statement('listens_history_played') -%}
    {{ listens_history_played_sql(seen, changes, ranges) }}
    {%- endcall -%}
  {%- endif -%}
  {%- if state.mode == 'create' -%}
    create or replace table {{ changes }} (row_hash ubigint, upgrade_key ubigint, merge_lo double, merge_hi double, added boolean, played_at timestamp);
    create or replace table {{ ranges }} (lo double, hi double);
  {%- elif state.mode == 'rebuild' -%}
    create or replace table {{ changes }} (row_hash ubigint, upgrade_key ubigint, merge_lo double, merge_hi double, added boolean, played_at timestamp);
    create or replace table {{ ranges }} as select cast('-infinity' as double) as lo, cast('infinity' as double) as hi;
    insert into {{ log }} select {{ sql_string(this.identifier) }}, row_key, {{ listens_build_time() }} from {{ this }};
    delete from {{ this }};
  {%- else -%}
    insert into {{ log }}
    select {{ sql_string(this.identifier) }}, stored.row_key, {{ listens_build_time() }}
    from {{ this }} as stored
    asof inner join {{ ranges }} as ranges
        on stored.merge_lo >= ranges.lo
    where stored.merge_lo <= ranges.hi;

    delete from {{ this }}
    where row_key in (
        select key from {{ log }}
        where model = {{ sql_string(this.identifier) }} and built_at = {{ listens_build_time() }}
    );
  {%- endif -%}
{% endmacro %}


{#
  post-hook of int_listens__rows_deduplicated: the history rows seen now, and the files they were read from (the
  pre-hook's listens_history_files_now, renamed), for the next build
#}
{% macro listens_history_seen_update(windowed) %}
  {%- set state = listens_incremental_mode() -%}
  {%- set seen = listens_side_table('listens_history_seen') -%}
  {%- set changes = listens_side_table('listens_history_changes') -%}
    drop table if exists {{ listens_side_table('listens_history_files') }};
    alter table {{ listens_side_table('listens_history_files_now') }} rename to listens_history_files;
  {%- if state.mode == 'changes' and load_relation(api.Relation.create(
          database=this.database, schema=listens_state_schema(), identifier='listens_history_seen')) is not none -%}
    delete from {{ seen }} where row_hash in (select row_hash from {{ changes }} where not added);
    insert into {{ seen }} select row_hash, upgrade_key, merge_lo, merge_hi, played_at from {{ changes }} where added;
  {%- else -%}
    create or replace table {{ seen }} as
    select distinct row_hash, upgrade_key, merge_lo, merge_hi, played_at from {{ windowed }};
    -- the rows seen are new: the islands kept are not theirs (the next build cuts them again)
    drop table if exists {{ listens_side_table('listens_history_islands_of') }};
  {%- endif -%}
{% endmacro %}


{#
  pre-hook of int_plays_resolved: which listens this build resolves again (listens_plays_recompute), deleted
  (and logged for fact_track_played) before the model's SQL selects them again:
  - the listens int_listens__rows_combined_into_listens rewrote or deleted since the last build;
  - the listens whose lookup keys got another answer: the rows of int_plays_lookups differ from those the
    last build used (listens_lookups_applied), a track matched, an artist's MBID mapped, a track's length
    known now;
  - the listens before one of those whose minutes may end at it: a listen's minutes_played is capped by
    the time until the next listen starts, so a listen whose start (estimated_start: the start, else the end
    minus the track's length, which enrichment may change) lies within the length of an earlier listen can
    change that listen's minutes.
#}
{% macro listens_plays_changes(combined, lookups, tracks) %}
  {%- set state = listens_incremental_mode(combined.identifier) -%}
  {%- set applied = listens_side_table('listens_lookups_applied') -%}
  {%- set now = 'listens_lookups_now' -%}
  {%- set recompute = listens_side_table('listens_plays_recompute') -%}
  {%- set log = listens_side_table('listens_incremental_log') -%}
  {%- set unknown_length_ms = var('unknown_length_seconds') * 1000 -%}
  {%- if state.mode == 'changes' and load_relation(api.Relation.create(
          database=this.database, schema=listens_state_schema(), identifier='listens_lookups_applied')) is none -%}
    {%- set state = {'mode': 'rebuild'} -%}
  {%- endif -%}
  {#- the answers now, computed once (a temporary table: this model's connection, not the warehouse): compared
      here, kept by the post-hook (listens_lookups_applied), which writes only the answers that changed
      (listens_changed_lookups; a row of nulls: every answer) -#}
    create or replace temp table {{ now }} as select * from {{ lookups }};
    {{ changed_keys_table(
        'listens_changed_lookups', now, applied, ['lookup', 'lookup_key'], everything=state.mode != 'changes'
    ) }}
  {%- if state.mode == 'create' %}
    create or replace table {{ recompute }} (play_key varchar);
  {%- elif state.mode == 'rebuild' %}
    create or replace table {{ recompute }} (play_key varchar);
    insert into {{ log }} select {{ sql_string(this.identifier) }}, play_key, {{ listens_build_time() }} from {{ this }};
    delete from {{ this }};
  {%- else %}
    create or replace temp table listens_plays_affected as
    {{ listens_changed_keys(combined, 'listen_key', state.applied_at) }}
    -- the listens of a key whose answer changed: one semi join per key column, each built on the few changed
    -- answers (none on most nights: then no listen is read at all; seven IN lists over one scan read every
    -- listen's seven keys, 0.1-0.2 s at 1M listens, every night)
    {%- for column, lookups in [
        ('stored.pair_key', "'track_match'"),
        ('stored.artist_search_key', "'artist_match'"),
        ('stored.track_id', "'track'"),
        ('stored.history_artist_mbid', "'mbid', 'mbid_direct'"),
        ('stored.artist_full_key', "'spotify_name'"),
        ('stored.artist_clean_key', "'spotify_name'"),
        ('upper(stored.conn_country)', "'zone'"),
    ] %}
    union
    select stored.play_key
    from {{ this }} as stored
    semi join listens_changed_lookups as changed
        on changed.lookup in ({{ lookups }}) and changed.lookup_key = {{ column }}
    {%- endfor %};

    -- where their estimated_start was, and where it can be now
    create or replace temp table listens_plays_moments as
    select stored.user_id, stored.estimated_start as lo, stored.estimated_start as hi
    from {{ this }} as stored
    where stored.play_key in (select key from listens_plays_affected)
    union all
    select
        listens.user_id,
        coalesce(
            listens.started_at,
            listens.played_at - to_milliseconds(cast(greatest(
                coalesce(listens.duration_ms, 0), coalesce((select max(duration_ms) from {{ tracks }}), 0)
            ) as bigint))
        ) as lo,
        coalesce(listens.started_at, listens.played_at) as hi
    from {{ combined }} as listens
    where listens.listen_key in (select key from listens_plays_affected);

    create or replace table {{ recompute }} as
    with longest as (
        select max(coalesce(duration_ms, {{ unknown_length_ms }})) as ms from {{ this }}
    ),
    near as (
        select
            *,
            estimated_start
                + to_milliseconds(cast(coalesce(duration_ms, {{ unknown_length_ms }}) as bigint)) as estimated_end
        from {{ this }}
        where estimated_start between
            (select min(lo) from listens_plays_moments)
                - to_milliseconds(cast(coalesce((select ms from longest), 0) as bigint))
            and (select max(hi) from listens_plays_moments)
    ),
    -- the moments merged, per person, into disjoint spans (a span starts where no earlier moment reaches): a
    -- listen meets a moment exactly when it meets the span that starts last before its end, so one ASOF join
    -- finds them (a join of every listen with every moment grows with their product: a whole history changed)
    flagged as (
        select
            *,
            coalesce(
                lo > max(hi) over (partition by user_id order by lo, hi rows between unbounded preceding and 1 preceding),
                true
            ) as starts
        from listens_plays_moments
        where lo is not null and hi is not null
    ),
    numbered as (
        select *, sum(case when starts then 1 else 0 end) over (partition by user_id order by lo, hi rows unbounded preceding) as span
        from flagged
    ),
    spans as (
        select user_id, min(lo) as lo, max(hi) as hi
        from numbered
        group by user_id, span
    )
    select key as play_key from listens_plays_affected
    union
    select near.play_key
    from near
    asof inner join spans
        on spans.user_id = near.user_id
        and near.estimated_end >= spans.lo
    where near.estimated_start <= spans.hi;

    insert into {{ log }}
    select {{ sql_string(this.identifier) }}, play_key, {{ listens_build_time() }}
    from {{ this }}
    where play_key in (select play_key from {{ recompute }});

    delete from {{ this }} where play_key in (select play_key from {{ recompute }});
  {%- endif -%}
{% endmacro %}


{#
  post-hook of int_plays_resolved: the lookup answers this build used, for the next one: the pre-hook's
  listens_lookups_now (int_plays_lookups is computed once a build), of which only the answers that changed
  (listens_changed_lookups) are written; all of them after a rebuild (its row of nulls). 400k answers at 1M
  listens, a few of which change in a night: writing them all was most of int_plays_resolved's time.
#}
{% macro listens_lookups_applied(lookups) %}
    {{ write_changed_rows(
        listens_side_table('listens_lookups_applied'), 'listens_lookups_now', 'listens_changed_lookups',
        ['lookup', 'lookup_key']
    ) }}
{% endmacro %}


{#
  The temporary table `changed` of the keys (`keys`, varchar columns) whose rows differ between the temporary
  table `now` and the side table `stored`: new, gone or with another value. With `everything`, one row of nulls:
  every row (a rebuild, or nothing stored to compare with). What write_changed_rows reads.
#}
{% macro changed_keys_table(changed, now, stored, keys, everything=false) %}
  {%- if everything %}
    create or replace temp table {{ changed }} as
    select {% for key in keys %}null::varchar as {{ key }}{{ ', ' if not loop.last }}{% endfor %};
  {%- else %}
    create or replace temp table {{ changed }} as
    select {{ keys | join(', ') }} from (select * from {{ now }} except select * from {{ stored }})
    union
    select {{ keys | join(', ') }} from (select * from {{ stored }} except select * from {{ now }});
  {%- endif %}
{% endmacro %}


{#
  Keeps the side table `table` equal to the temporary table `now` by writing only the rows whose keys (`keys`)
  the temporary table `changed` lists: the table's rows with those keys are deleted and `now`'s inserted. A row
  of nulls in `changed` means every row. The table is made from `now`'s columns when missing; `now` is dropped.
  For bookkeeping of a few hundred thousand rows of which a night changes a few (listens_lookups_applied,
  listens_report_dims_seen): written whole, they cost more than the queries that compare them.
#}
{% macro write_changed_rows(table, now, changed, keys) %}
  {%- set matches = [] -%}
  {%- for key in keys -%}
    {%- do matches.append('changed.' ~ key ~ ' = {side}.' ~ key) -%}
  {%- endfor -%}
    create table if not exists {{ table }} as select * from {{ now }} where false;
    create or replace temp table changed_rows_everything as
    select count(*) > 0 as everything from {{ changed }} where {{ keys[0] }} is null;
    delete from {{ table }} where (select everything from changed_rows_everything);
    delete from {{ table }} using {{ changed }} as changed
    where {{ matches | join(' and ') | replace('{side}', table) }};
    insert into {{ table }}
    select now_rows.*
    from {{ now }} as now_rows
    where (select everything from changed_rows_everything)
    union all
    select now_rows.*
    from {{ now }} as now_rows
    semi join {{ changed }} as changed
        on {{ matches | join(' and ') | replace('{side}', 'now_rows') }};
    drop table {{ now }};
{% endmacro %}
