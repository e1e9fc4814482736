-- The keys of one endpoint to ask for now, most-played first: every key `wanted` references (key, plays)
-- that `done` does not hold (landed 200s, and recent not-founds unless retrying), in the endpoint's key format.
-- `done` comes first: a `wanted` query may read it too (musicbrainz's wanted_isrc.sql).
with done as (
    {{ done }}
),

wanted as (
    {{ wanted }}
)

select wanted.key
from wanted
anti join done on wanted.key = done.key
where wanted.key is not null and regexp_full_match(wanted.key, '{{ valid }}')
group by wanted.key
order by max(wanted.plays) desc, wanted.key
