-- One row per MusicBrainz artist (its current MBID, the body's id): of the answers landed for it (several
-- requested MBIDs can answer the same artist, in either shape), a lookup beats a search item (it carries
-- genres), then the latest.
with artists as (

    select * from {{ ref('stg_musicbrainz__artists') }}

),

final as (

    select * exclude (requested_mbid)
    from artists
    qualify
        row_number() over (
            partition by artist_mbid
            order by
                answer_shape = 'lookup' desc,
                fetched_at desc,
                requested_mbid = artist_mbid desc,
                requested_mbid
        ) = 1

)

select * from final
