-- How the sources' rows became listens and plays: one row per person and combination of sources, with the
-- listens, the plays among them, the shorter listens, and the rows the sources reported for them (more rows
-- than listens: the same listen reported by several sources, counted once). `python -m extractors status`
-- reads its export, <DATA_DIR>/exports/report_listen_sources.parquet.
with listens as (

    select * from {{ ref('fact_track_played') }}

),

rows_per_listen as (

    select listen_key, reported_rows
    from {{ ref('int_listens__rows_combined_into_listens') }}

),

final as (

    select
        listens.user_id,
        listens.sources,
        count(*) as listens,
        count(*) filter (where listens.counts_as_play) as plays,
        count(*) filter (where not listens.counts_as_play) as short_listens,
        cast(sum(rows_per_listen.reported_rows) as bigint) as reported_rows,
        cast(coalesce(sum(listens.minutes_played) filter (where listens.counts_as_play), 0) as double)
            as minutes_played,
        min(listens.played_at) as first_played_at,
        max(listens.played_at) as last_played_at
    from listens
    inner join rows_per_listen
        on rows_per_listen.listen_key = listens.play_key
    group by listens.user_id, listens.sources

)

select * from final
