with artists as (

    select * from {{ ref('stg_spotify__artists') }}

),

artist_map as (

    select * from {{ ref('int_mbz_spotify_artist_map') }}

),

final as (

    select
        artists.artist_id,
        artists.artist_name,
        -- the MusicBrainz artist matched to it (int_mbz_spotify_artist_map); null when nothing matched
        artist_map.artist_mbid,
        artists.artist_popularity,
        artists.followers,
        artists.genres,
        artists.fetched_at
    from artists
    left join artist_map
        on artist_map.spotify_artist_id = artists.artist_id

)

select * from final
