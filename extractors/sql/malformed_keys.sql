-- The keys `wanted` references that are not in the endpoint's key format: never sent, reported by their text.
with wanted as (
    {{ wanted }}
)

select distinct key
from wanted
where key is not null and not regexp_full_match(key, '{{ valid }}')
order by key
