with artists as (

    select * from {{ ref('stg_spotify__artists') }}

),

final as (

    select
        artist_id,
        artist_name,
        -- filled by the MusicBrainz enrichment (a later model); null until then
        cast(null as varchar) as artist_mbid,
        artist_popularity,
        followers,
        genres,
        fetched_at
    from artists

)

select * from final
