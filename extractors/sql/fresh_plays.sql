-- The offered plays that are new (table fresh): those whose play key (macros/star_schema.sql, play_key_text)
-- is neither in the history (tracks_played, when there is one: `history`) nor earlier in the same batch.
create or replace temp table fresh as
with existing as (
    {%- if history %}
    select
        user_id,
        played_at,
        track_id,
        track_name,
        artist,
        ms_played,
        play_source
    from tracks_played
    {%- else %}
    select
        null::varchar as user_id,
        null::timestamp as played_at,
        null::varchar as track_id,
        null::varchar as track_name,
        null::varchar as artist,
        null::bigint as ms_played,
        null::varchar as play_source
    where false
    {%- endif %}
),

known as (
    select distinct {{ play_key_text() }} as play_key
    from existing
),

keyed as (
    select
        *,
        ({{ play_key_text() }}) as play_key
    from incoming
)

select * exclude (play_key)
from keyed
where play_key not in (select known.play_key from known)
qualify row_number() over (partition by play_key order by played_at) = 1
