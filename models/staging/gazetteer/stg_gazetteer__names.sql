-- One row per (GeoNames city, name key): a name and an alternate name that normalize alike count once.
with source as (

    select * from {{ source('gazetteer', 'names') }}

),

final as (

    select distinct
        cast(geonameid as bigint) as geonameid,
        name_key
    from source
    where geonameid is not null
        and name_key is not null
        and name_key <> ''

)

select * from final
