-- One row per Spotify artist id x MusicBrainz artist linked to its Spotify page: the latest 200 url answer.
with source as (

    select * from {{ source('musicbrainz', 'url') }}

),

answered as (

    {{ latest_answers('source') }}

),

relations as (

    select
        cast(key as varchar) as spotify_artist_id,
        body ->> '$.resource' as resource,
        unnest(body -> '$.relations[*]') as relation,
        generate_subscripts(body -> '$.relations[*]', 1) as relation_position,
        fetched_at
    from answered

),

renamed as (

    select
        spotify_artist_id,
        relation ->> '$.artist.id' as artist_mbid,
        relation ->> '$.artist.name' as artist_name,
        relation ->> '$.type' as relation_type,
        resource,
        cast(relation_position as integer) as relation_position,
        fetched_at
    from relations
    where coalesce(relation ->> '$."target-type"', 'artist') = 'artist'
        and relation ->> '$.artist.id' is not null
    qualify
        row_number() over (
            partition by spotify_artist_id, relation ->> '$.artist.id' order by relation_position
        ) = 1

)

select * from renamed
