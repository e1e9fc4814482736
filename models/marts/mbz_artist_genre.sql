-- One row per (MusicBrainz artist, genre, source): the artist's genres (lookup answers) and tags (both
-- answer shapes) with a positive vote count, names trimmed and lowercased.
with artists as (

    select * from {{ ref('int_musicbrainz__artists_deduplicated') }}

),

artist_info as (

    select * from {{ ref('mbz_artist_info') }}

),

voted as (

    select
        artist_mbid,
        unnest(genres) as vote,
        'genre' as source
    from artists

    union all

    select
        artist_mbid,
        unnest(tags) as vote,
        'tag' as source
    from artists

),

normalized as (

    select
        artist_mbid,
        lower(trim(vote.name)) as genre,
        vote.count,
        source
    from voted

),

-- the same name twice after normalisation: the highest count
aggregated as (

    select
        artist_mbid,
        genre,
        source,
        max(count) as count
    from normalized
    where genre is not null
        and genre <> ''
    group by artist_mbid, genre, source

),

final as (

    select
        aggregated.artist_mbid,
        aggregated.genre,
        aggregated.source,
        artist_info.spotify_artist_id,
        artist_info.name as artist_name,
        cast(aggregated.count as integer) as count
    from aggregated
    inner join artist_info
        on artist_info.artist_mbid = aggregated.artist_mbid
    where aggregated.count > 0

)

select * from final
