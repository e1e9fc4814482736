with artists as (

    select * from {{ ref('spotify_artists') }}

),

unnested as (

    select
        artist_id,
        artist_name,
        lower(trim(unnest(genres))) as genre
    from artists

),

final as (

    select distinct
        artist_id,
        genre,
        artist_name
    from unnested
    where genre is not null
        and genre <> ''

)

select * from final
