{#
  Two answers int_plays_resolved looks a listen up in, written once: int_plays_lookups lists the same answers
  (so that an incremental build recomputes the listens whose answer changed, docs/incremental.md), and both
  call these, so the two cannot drift apart.
#}

{#- A Spotify artist per normalized name: the most popular one when names collide. -#}
{% macro spotify_artist_by_name(spotify_artists) %}
    select
        {{ normalized_name('artist_name') }} as name_key,
        artist_id
    from {{ spotify_artists }}
    where artist_name is not null
    qualify
        row_number() over (
            partition by {{ normalized_name('artist_name') }}
            order by artist_popularity desc nulls last, artist_id
        ) = 1
{% endmacro %}


{#- The current MBID of a requested one (merged MBIDs followed) and the Spotify artist MusicBrainz maps it to. -#}
{% macro mbid_spotify_artists(mbz_artists, artist_info) %}
    select
        requested.requested_mbid,
        info.artist_mbid,
        info.spotify_artist_id
    from {{ mbz_artists }} as requested
    inner join {{ artist_info }} as info
        on info.artist_mbid = requested.artist_mbid
{% endmacro %}


{#-
  SQL aggregate: a digest of a key's answer rows, for int_plays_lookups. The sum of the rows' hashes of
  `columns` (nulls hash too), as HUGEINT so that it cannot overflow: the same rows in any order give the same
  digest, a row more, less or different another one (but with odds of 2^-64). A DuckDB release that hashes
  differently changes every digest once: the next build then recomputes every listen (correct, once slower).
-#}
{% macro answer_digest(columns) %}
    sum(cast(hash({{ columns }}) as hugeint))
{%- endmacro %}
