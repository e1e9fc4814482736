-- The eight most frequent combinations of sources in the export report_listen_sources ({{ path }}), with their
-- listens.
select
    sources,
    sum(listens) as listens
from read_parquet({{ literal(path) }})
group by 1
order by 2 desc, 1
limit 8
