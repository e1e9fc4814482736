-- The geocoding query of every artist's location (view openweather_city_params): its area, else end area,
-- else begin area (macros/rules/artist_location.sql), as mbz_area_hierarchy writes it (`City,CC`).
select distinct hierarchy.params
from int_musicbrainz__artists_deduplicated as artists
inner join mbz_area_hierarchy as hierarchy
    on {{ location_area_id('artists.') }} = hierarchy.area_id
where hierarchy.params is not null
