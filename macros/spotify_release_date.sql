{#
  Spotify's release_date as a DATE, read according to its release_date_precision:
    year  'YYYY'       -> January 1st of that year
    month 'YYYY-MM'    -> the 1st of that month
    day   'YYYY-MM-DD' -> that day
  A value that does not match its precision, an unknown precision, or a zero year ('0000', which Spotify
  sends for unknown dates) gives null.
#}
{% macro spotify_release_date(date_col, precision_col) %}
    case
        when left(trim({{ date_col }}), 4) = '0000' then null
        when lower(trim({{ precision_col }})) = 'year'
            then cast(try_strptime(trim({{ date_col }}), '%Y') as date)
        when lower(trim({{ precision_col }})) = 'month'
            then cast(try_strptime(trim({{ date_col }}), '%Y-%m') as date)
        when lower(trim({{ precision_col }})) = 'day'
            then cast(try_strptime(trim({{ date_col }}), '%Y-%m-%d') as date)
    end
{% endmacro %}
