-- One row per GeoNames city of the offline gazetteer (codes upper-cased; a city without coordinates dropped).
with source as (

    select * from {{ source('gazetteer', 'cities') }}

),

renamed as (

    select
        cast(geonameid as bigint) as geonameid,
        name,
        upper(trim(country_code)) as country_code,
        admin1_code,
        nullif(upper(trim(state_code)), '') as state_code,
        nullif(upper(trim(subdivision_code)), '') as subdivision_code,
        cast(latitude as double) as lat,
        cast(longitude as double) as long,
        cast(population as bigint) as population
    from source
    where geonameid is not null
        and latitude is not null
        and longitude is not null
    qualify row_number() over (partition by geonameid order by population desc nulls last) = 1

)

select * from renamed
