-- One endpoint's landed keys (view `landed`): how many were found (any 200), how many only not found, and the
-- last time one was fetched.
with latest as (
    select
        key,
        max(case when status = 200 then 1 else 0 end) as ok,
        max(fetched_at) as fetched_at
    from {{ landed }}
    group by key
)

select
    count(*) filter (where ok = 1) as found,
    count(*) filter (where ok = 0) as not_found,
    max(fetched_at)::varchar as last_fetched
from latest
