{#
  How the history importers read a raw value (every raw column is read as text, so a bad value is a row
  problem, not a crash): each macro is an expression over the column or expression it is given.
#}

{% macro text(value) -%}
    {#- Trimmed text, empty as null. -#}
    nullif(trim({{ value }}), '')
{%- endmacro %}


{% macro quoted(value) -%}
    {#- A raw value for a message: 'value' (at most 40 characters) or missing. -#}
    coalesce('''' || left({{ value }}, 40) || '''', 'missing')
{%- endmacro %}


{% macro flag(value) -%}
    {#- A JSON true/false, or the 1/0 of older exports, as BOOLEAN; null if missing or anything else. -#}
    case
        when lower(trim({{ value }})) in ('true', '1') then true
        when lower(trim({{ value }})) in ('false', '0') then false
    end
{%- endmacro %}


{% macro milliseconds(value) -%}
    {#- A non-negative whole number of milliseconds (180000, 1.8e5) as BIGINT; null otherwise. -#}
    case
        when try_cast(try_cast(trim({{ value }}) as double) as bigint) >= 0
            then try_cast(try_cast(trim({{ value }}) as double) as bigint)
    end
{%- endmacro %}


{% macro epoch_to_timestamp(value) -%}
    {#-
      Unix time in seconds or milliseconds (values from 1e11 on: ms) as a UTC TIMESTAMP; null if not a number.
      Spotify's offline_timestamp comes in both units (1716446730 and 1572964071330); ListenBrainz and
      Last.fm give seconds. A number too large for a TIMESTAMP is null, not an error.
    -#}
    case
        when abs(try_cast(trim({{ value }}) as double)) >= 1e11
            then make_timestamp(try_cast(try_cast(trim({{ value }}) as double) * 1000 as bigint))
        else make_timestamp(try_cast(try_cast(trim({{ value }}) as double) * 1000000 as bigint))
    end
{%- endmacro %}


{% macro minus_ms(at, ms) -%}
    {#- at minus ms milliseconds, cut to the second (null when either is). -#}
    date_trunc('second', {{ at }} - to_milliseconds({{ ms }}))
{%- endmacro %}


{% macro first_or_only(doc, path) -%}
    {#- The JSON value at path of doc as text: a list's first element, or the value itself. -#}
    case
        when json_type({{ doc }}, '{{ path }}') = 'ARRAY' then json_extract_string({{ doc }}, '{{ path }}[0]')
        else json_extract_string({{ doc }}, '{{ path }}')
    end
{%- endmacro %}


{% macro csv_column(name) -%}
    {#- A CSV column the importer found (c0, c1, …), or null text when the file has none for that role. -#}
    {{ name if name else 'null::varchar' }}
{%- endmacro %}
