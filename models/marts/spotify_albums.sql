with albums as (

    select * from {{ ref('stg_spotify__albums') }}

),

final as (

    select
        album_id,
        album_name,
        album_type,
        artist_id,
        artist_name,
        release_date,
        release_date_precision,
        total_tracks,
        label,
        upc
    from albums

)

select * from final
