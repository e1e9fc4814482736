{#
  The area that locates an artist, as the original system chose it: its area, else its end area, else its
  begin area (`location_area_id`), and which one it was (`location_from`). `prefix` is a column prefix such as
  'artists.' (or ''). Used by models/marts/mbz_artist_location.sql and by the geo extractor (what to geocode).
  Plain SQL, no dbt-specific Jinja (docs/rules.md).
#}
{% macro location_area_id(prefix='') %}
    coalesce({{ prefix }}area_id, {{ prefix }}end_area_id, {{ prefix }}begin_area_id)
{% endmacro %}

{% macro location_from(prefix='') %}
    case
        when {{ prefix }}area_id is not null then 'area'
        when {{ prefix }}end_area_id is not null then 'end_area'
        when {{ prefix }}begin_area_id is not null then 'begin_area'
    end
{% endmacro %}
