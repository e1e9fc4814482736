with artists as (

    select * from {{ ref('stg_spotify__artists') }}

),

artist_map as (

    select * from {{ ref('int_musicbrainz__spotify_artists_matched') }}

),

final as (

    select
        artists.artist_id,
        artists.artist_name,
        -- the MusicBrainz artist matched to it (int_musicbrainz__spotify_artists_matched); null when nothing matched
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
