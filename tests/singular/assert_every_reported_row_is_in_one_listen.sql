-- Every row the sources reported (once per row key: a row loaded twice counts once; a row re-imported with
-- its facts replaces the older one) belongs to exactly one listen, every listen is one row of
-- fact_track_played, and no row is lost on the way. Returns a row naming what breaks it.
-- The history's distinct rows are counted on the columns of the row key (play_key_text) as they are, not on
-- the key's text: the same rows (the key text is these columns joined), without formatting every row's time
-- and joining its text, which took most of this test (11 s -> 2.7 s at 10M listens).
-- Distinct history rows and row keys are counted by their 64-bit hashes first, which is exact wherever it
-- matters: two rows sharing a hash only make the count smaller, so a count of hashes that is already large
-- enough passes as the exact count would; a smaller one is counted again exactly (half the time at 1M).
-- The row keys of the merge are those of the deduplicated rows when, besides the counts, the sums of their
-- hashes agree (as multisets: a key swapped for another changes the sum, but for a 64-bit coincidence). This is
-- the whole-table half of the merge's relationship to the rows; its row_checks reads only the newest write.
-- history_rows is not materialized: read twice, DuckDB would otherwise keep a copy of its columns for every
-- history row (at 10M listens, 16M rows spilled to disk) even when the exact count is not needed.
with history_rows as not materialized (

    select
        coalesce(user_id, '') as user_id,
        date_trunc('second', played_at) as played_second,
        coalesce(track_id, track_name) as track,
        coalesce(artist, '') as artist,
        ms_played,
        coalesce(play_source, '') as play_source
    from {{ ref('stg_history__tracks_played') }}

),

reported as (

    select
        count(*) as n,
        sum(hash(row_key)) as key_hashes
    from {{ ref('int_listens__rows_deduplicated') }}

),

history_hashed as (

    select count(distinct hash(user_id, played_second, track, artist, ms_played, play_source)) as n
    from history_rows

),

-- counted exactly only when the hashes do not already show that the history has enough distinct rows
history_distinct as (

    select distinct
        user_id,
        played_second,
        track,
        artist,
        ms_played,
        play_source
    from history_rows
    where (select reported.n > history_hashed.n from reported, history_hashed)

),

history_exact as (

    select count(*) as n
    from history_distinct

),

history as (

    select greatest(history_hashed.n, history_exact.n) as n
    from history_hashed, history_exact

),

matched as (

    select
        count(*) as n,
        count(distinct hash(row_key)) as hashed_rows,
        sum(hash(row_key)) as key_hashes,
        count(distinct listen_key) as listens
    from {{ ref('int_listens__rows_matched_to_listens') }}

),

-- likewise: the distinct row keys are counted exactly only when their hashes leave a doubt
matched_exact as (

    select count(distinct row_key) as n
    from {{ ref('int_listens__rows_matched_to_listens') }}
    where (select matched.n <> reported.n or matched.hashed_rows <> reported.n from matched, reported)

),

merged as (

    select
        matched.n,
        greatest(matched.hashed_rows, matched_exact.n) as distinct_rows,
        matched.key_hashes,
        matched.listens
    from matched, matched_exact

),

listens as (

    select count(*) as n, sum(reported_rows) as rows_
    from {{ ref('int_listens__rows_combined_into_listens') }}

),

fact as (

    select count(*) as n
    from {{ ref('fact_track_played') }}

),

checks as (

    select 'int_listens__rows_deduplicated has more rows than the history has distinct rows' as problem
    from history, reported
    where reported.n > history.n

    union all

    select 'a reported row is in no listen, or in two' as problem
    from reported, merged
    where merged.n <> reported.n or merged.distinct_rows <> reported.n

    union all

    select
        'int_listens__rows_matched_to_listens holds a row_key that '
        || 'int_listens__rows_deduplicated does not' as problem
    from reported, merged
    where merged.key_hashes is distinct from reported.key_hashes

    union all

    select
        'int_listens__rows_combined_into_listens does not have one row per listen of '
        || 'int_listens__rows_matched_to_listens' as problem
    from merged, listens
    where listens.n <> merged.listens or listens.rows_ <> merged.n

    union all

    select 'fact_track_played does not have one row per listen' as problem
    from listens, fact
    where fact.n <> listens.n

)

select * from checks
