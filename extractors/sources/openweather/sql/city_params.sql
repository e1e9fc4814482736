-- The geocoding query of every artist's location (view openweather_city_params): its area, else end area,
-- else begin area (macros/rules/artist_location.sql), as mbz_area_hierarchy writes it (`City,CC`), with the
-- subdivision of the area, upper-cased as int_openweather__geocode_queries_parsed keys a query (Santo Amaro
-- in BR-BA and in BR-SP share their params; the gazetteer may know one and not the other).
select distinct
    hierarchy.params,
    nullif(upper(trim(hierarchy.subdivision_code)), '') as subdivision_code
from int_musicbrainz__artists_deduplicated as artists
inner join mbz_area_hierarchy as hierarchy
    on {{ location_area_id('artists.') }} = hierarchy.area_id
where hierarchy.params is not null
