-- The ISRCs or MBIDs of the history that are malformed: never sent (the key patterns filter them).
select distinct {{ column }}
from musicbrainz_artist_plays
where {{ column }} <> '' and not regexp_full_match({{ column }}, '{{ pattern }}')
order by {{ column }}
