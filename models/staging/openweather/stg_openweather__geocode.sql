-- One row per geocoding query x result of its latest answer (200 or 404; other statuses are not answers),
-- with the result's fields parsed. A 404 or an empty array gives no row.
with source as (

    select * from {{ source('openweather', 'geocode') }}

),

latest as (

    select *
    from source
    where status in (200, 404)
        and key is not null
    qualify row_number() over (partition by key order by fetched_at desc, status) = 1

),

answered as (

    select *
    from latest
    where status = 200
        and body is not null
        and json_type(body) = 'ARRAY'

),

results as (

    select
        key,
        fetched_at,
        unnest(body -> '$[*]') as result,
        generate_subscripts(body -> '$[*]', 1) as result_position
    from answered

),

renamed as (

    select
        key as params,
        cast(result_position as integer) as result_position,
        result ->> '$.name' as name,
        result ->> '$.local_names.en' as local_name_en,
        result ->> '$.local_names.ascii' as local_name_ascii,
        try_cast(result ->> '$.lat' as double) as lat,
        try_cast(result ->> '$.lon' as double) as long,
        upper(trim(result ->> '$.country')) as country_code,
        result ->> '$.state' as state,
        fetched_at
    from results
    where json_type(result) = 'OBJECT'

)

select * from renamed
