-- One row per MusicBrainz artist with its location, as the original system chose it: the artist's area,
-- else its end area, else its begin area; that area's place in the hierarchy (city up to continent) and
-- the coordinates of its city (null when unknown).
with artists as (

    select * from {{ ref('mbz_artist_info') }}

),

hierarchy as (

    select * from {{ ref('mbz_area_hierarchy') }}

),

cities as (

    select * from {{ ref('cities_with_lat_long') }}

),

located as (

    select
        artist_mbid,
        spotify_artist_id,
        name as artist_name,
        -- the rule (macros/rules/artist_location.sql) the geo extractor reads too
        {{ location_area_id() }} as location_area_id,
        {{ location_from() }} as location_from,
        case
            when area_id is not null then area_name
            when end_area_id is not null then end_area_name
            else begin_area_name
        end as artist_area_name
    from artists

),

final as (

    select
        located.artist_mbid,
        located.spotify_artist_id,
        located.artist_name,
        located.location_area_id,
        located.location_from,
        coalesce(hierarchy.area_name, located.artist_area_name) as area_name,
        hierarchy.area_type,
        hierarchy.city_name,
        hierarchy.municipality_name,
        hierarchy.district_name,
        hierarchy.county_name,
        hierarchy.subdivision_name,
        hierarchy.subdivision_code,
        hierarchy.state_code,
        hierarchy.country_name,
        hierarchy.country_code,
        hierarchy.sovereign_country_code,
        hierarchy.continent_code,
        hierarchy.continent,
        hierarchy.params,
        cities.lat,
        cities.long,
        cities.source as coordinates_source
    from located
    left join hierarchy
        on hierarchy.area_id = located.location_area_id
    left join cities
        on cities.params = hierarchy.params
        -- as int_openweather__geocode_queries_parsed keys a query: the same params in two subdivisions are two
        and cities.subdivision_code is not distinct from nullif(upper(trim(hierarchy.subdivision_code)), '')

)

select * from final
