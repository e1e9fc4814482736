-- The totals of the last dbt build's export report_listen_sources ({{ path }}): listens, plays, short listens,
-- reported rows, and listens reported by more than one source.
select
    coalesce(sum(listens), 0) as listens,
    coalesce(sum(plays), 0) as plays,
    coalesce(sum(short_listens), 0) as short_listens,
    coalesce(sum(reported_rows), 0) as reported_rows,
    coalesce(sum(listens) filter (where sources like '%,%'), 0) as several_sources
from read_parquet({{ literal(path) }})
