-- One row per artist (artist_key): Spotify facts, the primary genre and the full location of its MusicBrainz
-- artist (area, else end area, else begin area) down to the city's coordinates. Names listed in the seed
-- mask_artists are shown as their masked_name.
with artists as (

    select * from {{ ref('int_artists_combined') }}

),

artist_genres as (

    select * from {{ ref('int_artist_genres_ranked') }}

),

locations as (

    select * from {{ ref('mbz_artist_location') }}

),

masks as (

    select * from {{ ref('mask_artists') }}
    where nullif(trim(masked_name), '') is not null
    qualify row_number() over (partition by {{ normalized_name('artist_name') }} order by masked_name) = 1

),

primary_genres as (

    select
        artist_key,
        genre as primary_genre
    from artist_genres
    where is_primary

),

final as (

    select
        artists.artist_key,
        artists.artist_id,
        artists.artist_mbid,
        coalesce(masks.masked_name, artists.artist_name) as artist_name,
        primary_genres.primary_genre,
        artists.popularity,
        case
            when artists.popularity is null then null
            when artists.popularity <= 20 then 'niche'
            when artists.popularity <= 40 then 'emerging'
            when artists.popularity <= 60 then 'established'
            when artists.popularity <= 80 then 'popular'
            else 'mainstream'
        end as popularity_group,
        artists.followers,
        locations.continent,
        locations.country_code,
        locations.country_name,
        locations.sovereign_country_code,
        locations.state_code,
        locations.subdivision_name,
        locations.county_name,
        locations.city_name,
        locations.lat,
        locations.long
    from artists
    left join primary_genres
        on primary_genres.artist_key = artists.artist_key
    left join locations
        on locations.artist_mbid = artists.artist_mbid
    left join masks
        on {{ normalized_name('masks.artist_name') }} = {{ normalized_name('artists.artist_name') }}

)

select * from final
