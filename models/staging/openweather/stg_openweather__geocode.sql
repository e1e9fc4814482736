-- One row per geocoding query x result of its latest found answer (status 200, a JSON array), with the
-- result's fields parsed. A 404 (`[]`) or an empty array gives no row.
with source as (

    select * from {{ source('openweather', 'geocode') }}

),

answered as (

    {{ latest_answers('source', 'ARRAY') }}

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
