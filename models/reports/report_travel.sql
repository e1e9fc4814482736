-- Issue 15, travel: the plays, minutes, distinct local days and the first and last play per country the
-- listens came from (fact_track_played.conn_country; one row with a null conn_country when the source does
-- not say), and which known country is home (the one with the most plays).
with plays as (

    select * from {{ ref('fact_track_played') }}
    where counts_as_play

),

countries as (

    select * from {{ ref('countries') }}

),

counted as (

    select
        conn_country,
        count(*) as plays,
        coalesce(sum(minutes_played), 0) as minutes,
        count(distinct cast(played_at_local as date)) as days,
        min(played_at_local) as first_played_at_local,
        max(played_at_local) as last_played_at_local
    from plays
    group by conn_country

),

-- home: the known country with the most plays (ties: minutes, then code)
home as (

    select conn_country
    from counted
    where conn_country is not null
    order by plays desc, minutes desc, conn_country
    limit 1

),

final as (

    select
        counted.conn_country,
        case
            when counted.conn_country is null then 'Unknown'
            else coalesce(countries.country_name, counted.conn_country)
        end as country_name,
        home.conn_country is not null as is_home,
        cast(counted.plays as bigint) as plays,
        cast(counted.minutes as double) as minutes,
        cast(counted.days as bigint) as days,
        counted.first_played_at_local,
        counted.last_played_at_local
    from counted
    left join countries
        on countries.country_code = counted.conn_country
    left join home
        on home.conn_country = counted.conn_country

)

select * from final
