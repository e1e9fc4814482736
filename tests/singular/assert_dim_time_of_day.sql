-- dim_time has the 1440 minutes of a day once each, and time_of_day follows the hour: night 0-5,
-- morning 6-11, afternoon 12-17, evening 18-23 (boundary minutes 05:59/06:00, 11:59/12:00, 17:59/18:00
-- included). Returns the rows that break it.
with times as (

    select * from {{ ref('dim_time') }}

),

expected as (

    select
        cast(range as integer) as time_key,
        case
            when range < 360 then 'night'
            when range < 720 then 'morning'
            when range < 1080 then 'afternoon'
            else 'evening'
        end as time_of_day
    from range(0, 1440)

)

select
    coalesce(expected.time_key, times.time_key) as time_key,
    expected.time_of_day as expected_time_of_day,
    times.time_of_day
from expected
full outer join times
    on times.time_key = expected.time_key
where times.time_of_day is distinct from expected.time_of_day
    or times.hour * 60 + times.minute is distinct from expected.time_key
