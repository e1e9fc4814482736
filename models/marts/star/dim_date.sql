-- One row per calendar day from the first to the last play, in local time (dbt var `timezone`).
with plays as (

    select * from {{ ref('int_plays_resolved') }}

),

bounds as (

    select
        cast(min(played_at_local) as date) as first_date,
        cast(max(played_at_local) as date) as last_date
    from plays

),

days as (

    select cast(unnest(generate_series(first_date, last_date, interval 1 day)) as date) as date_day
    from bounds
    where first_date is not null

),

final as (

    select
        cast(strftime(date_day, '%Y%m%d') as integer) as date_key,
        date_day,
        cast(year(date_day) as integer) as year,
        cast(quarter(date_day) as integer) as quarter,
        cast(month(date_day) as integer) as month,
        strftime(date_day, '%B') as month_name,
        cast(day(date_day) as integer) as day,
        cast(isodow(date_day) as integer) as weekday,
        strftime(date_day, '%A') as weekday_name,
        isodow(date_day) in (6, 7) as is_weekend
    from days

)

select * from final
