-- One row per ISRC x recording x artist credit: the latest 200 answer of each requested ISRC, parsed.
with source as (

    select * from {{ source('musicbrainz', 'isrc') }}

),

answered as (

    {{ latest_answers('source', json_type='ARRAY') }}

),

recordings as (

    select
        cast(key as varchar) as isrc,
        unnest(body -> '$[*]') as recording,
        generate_subscripts(body -> '$[*]', 1) as recording_position,
        fetched_at
    from answered

),

-- a recording that lists its ISRCs must list the one asked for (a batched answer split per ISRC)
of_the_isrc as (

    select *
    from recordings
    where json_type(recording) = 'OBJECT'
        and recording ->> '$.id' is not null
        and (
            json_type(recording -> '$.isrcs') is distinct from 'ARRAY'
            or list_contains(
                list_transform(
                    coalesce(json_extract_string(recording, '$.isrcs[*]'), cast([] as varchar[])),
                    lambda code: upper(trim(code))
                ),
                upper(trim(isrc))
            )
        )

),

credits as (

    select
        isrc,
        recording ->> '$.id' as recording_id,
        recording ->> '$.title' as recording_title,
        try_cast(recording ->> '$.score' as integer) as recording_score,
        recording_position,
        unnest(recording -> '$."artist-credit"[*]') as credit,
        generate_subscripts(recording -> '$."artist-credit"[*]', 1) as credit_position,
        fetched_at
    from of_the_isrc

),

renamed as (

    select
        isrc,
        recording_id,
        cast(credit_position as integer) as credit_position,
        credit ->> '$.name' as credited_name,
        credit ->> '$.artist.id' as artist_mbid,
        credit ->> '$.artist.name' as artist_name,
        credit ->> '$.joinphrase' as joinphrase,
        recording_title,
        recording_score,
        cast(recording_position as integer) as recording_position,
        fetched_at
    from credits
    -- the same recording twice in one answer counts once
    qualify
        row_number() over (
            partition by isrc, recording_id, credit_position order by recording_position
        ) = 1

)

select * from renamed
