-- report_skips ties out against fact_track_played: for 'hour' (all 24 hours) and for 'platform', the listens
-- add up to the fact table's rows and the skips to its skips (skipped, or not counts_as_play) (no row
-- returned = pass).
with skips as (

    select * from {{ ref('report_skips') }}

),

facts as (

    select
        count(*) as listens,
        count(*) filter (where coalesce(skipped, false) or not counts_as_play) as skips
    from {{ ref('fact_track_played') }}

),

dimensions as (

    select
        dimension,
        count(*) as value_rows,
        coalesce(sum(listens), 0) as listens,
        coalesce(sum(skips), 0) as skips
    from skips
    where dimension in ('hour', 'platform')
    group by dimension

),

expected as (

    select 'hour' as dimension
    union all
    select 'platform' as dimension

)

select
    expected.dimension,
    dimensions.listens,
    facts.listens as fact_listens,
    dimensions.skips,
    facts.skips as fact_skips
from expected
cross join facts
left join dimensions
    on dimensions.dimension = expected.dimension
where (dimensions.listens is null and facts.listens > 0)
    or dimensions.listens <> facts.listens
    or dimensions.skips <> facts.skips
    or (expected.dimension = 'hour' and dimensions.value_rows <> 24)
