-- The keys of one endpoint not to ask again: any landed 200, and a not-found younger than the retry age
-- unless the run retries them.
select key
from {{ landed }}
where
    status = 200
    {% if not retry_not_found -%}
    or fetched_at >= now() - interval {{ retry_days }} day
    {%- endif %}
