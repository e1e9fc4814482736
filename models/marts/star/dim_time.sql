-- One row per minute of the day (1440 rows), time_key = hour * 60 + minute.
with minutes as (

    select cast(range as integer) as time_key
    from range(0, 1440)

),

final as (

    select
        time_key,
        time_key // 60 as hour,
        time_key % 60 as minute,
        lpad(cast(time_key // 60 as varchar), 2, '0') || ':' || lpad(cast(time_key % 60 as varchar), 2, '0')
            as time_label,
        case
            when time_key // 60 < 6 then 'night'
            when time_key // 60 < 12 then 'morning'
            when time_key // 60 < 18 then 'afternoon'
            else 'evening'
        end as time_of_day
    from minutes

)

select * from final
