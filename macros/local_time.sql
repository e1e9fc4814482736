{#
  Local time: the wall clock where the person was when they listened (docs/local-time.md).

    listener_timezone()                   the listener's home zone, an IANA name (a Jinja string)
    local_timezone(conn_country)          SQL: the zone of a listen (home, or the country travelled to)
    local_time(ts, conn_country)          SQL: the wall-clock TIMESTAMP of a UTC TIMESTAMP in that zone

  The travel rule needs the seed country_timezones (scripts/make_reference.py): both SQL macros ref() it, so
  dbt loads it before any model that calls them.
#}


{#
  The listener's home zone, in this order: the dbt var `listener_timezone`, the deprecated dbt var `timezone`,
  the environment variable LISTENER_TIMEZONE, this machine's zone, 'UTC'. An empty value counts as unset.
  A zone that is set but unknown to DuckDB (not in pg_timezone_names()) stops the build with a message
  naming LISTENER_TIMEZONE; its case is corrected ('europe/berlin' -> 'Europe/Berlin').
  While dbt parses (execute is false) nothing is checked and the machine is not asked: 'UTC' stands in.
#}
{% macro listener_timezone() %}
    {#- asked once per rendering of a node (its SQL, or its hooks): the fingerprints and the SQL of the
        incremental models call it several times, and every query is a round trip through dbt -#}
    {%- set memo = '__rws_listener_timezone' -%}
    {%- if execute and model is mapping and memo in model -%}
        {{ return(model[memo]) }}
    {%- endif -%}
    {%- set settings = [
        ('the dbt var listener_timezone', var('listener_timezone', none)),
        ('the dbt var timezone (deprecated: set listener_timezone or LISTENER_TIMEZONE)', var('timezone', none)),
        ('the environment variable LISTENER_TIMEZONE', env_var('LISTENER_TIMEZONE', '')),
    ] -%}
    {%- set chosen = namespace(zone=none) -%}
    {%- for source, value in settings -%}
        {%- if chosen.zone is none and value is not none and (value | string | trim) != '' -%}
            {%- set chosen.zone = known_timezone(value | string | trim, source) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set zone = chosen.zone if chosen.zone is not none else machine_timezone() -%}
    {%- if execute and model is mapping -%}
        {%- do model.update({memo: zone}) -%}
    {%- endif -%}
    {{ return(zone) }}
{% endmacro %}


{#
  `name` as DuckDB spells it in pg_timezone_names() (an exact match first, else one differing only in case);
  fails the build when DuckDB does not know it. `source` says where the name was set.
#}
{% macro known_timezone(name, source) %}
    {%- if not execute -%}
        {{ return(name) }}
    {%- endif -%}
    {%- set found = run_query(
        'select name from pg_timezone_names() where lower(name) = lower(' ~ sql_string(name) ~ ') '
        ~ 'order by name = ' ~ sql_string(name) ~ ' desc, name limit 1'
    ) -%}
    {%- if found.rows | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "LISTENER_TIMEZONE: '" ~ name ~ "' (from " ~ source ~ ") is not a time zone name DuckDB knows. "
            ~ "Set LISTENER_TIMEZONE (or the dbt var listener_timezone) to an IANA name such as Europe/Berlin "
            ~ "or America/New_York, or leave it unset for this machine's zone; DuckDB's names are listed by "
            ~ "`select name from pg_timezone_names()`. See docs/local-time.md."
        ) }}
    {%- endif -%}
    {{ return(found.rows[0][0]) }}
{% endmacro %}


{#
  This machine's zone, as DuckDB (ICU) finds it when it starts: the TZ environment variable, else
  /etc/localtime. profiles.yml sets the session's TimeZone to UTC, and `SET TimeZone` applies to one session
  (dbt-duckdb sets it on every cursor it opens), so the default is read by resetting the setting on this
  session and setting it back to what it was. 'UTC' when DuckDB's default is not a zone it lists.
#}
{% macro machine_timezone() %}
    {%- if not execute -%}
        {{ return('UTC') }}
    {%- endif -%}
    {#- one query: keep the session's zone, reset it, read the default, set the session's zone back -#}
    {%- set found = run_query(
        "set variable rws_session_zone = current_setting('TimeZone'); "
        ~ "reset TimeZone; "
        ~ "set variable rws_machine_zone = coalesce("
        ~ "(select name from pg_timezone_names() where name = current_setting('TimeZone')), 'UTC'); "
        ~ "set TimeZone = getvariable('rws_session_zone'); "
        ~ "select getvariable('rws_machine_zone')"
    ) -%}
    {{ return(found.rows[0][0]) }}
{% endmacro %}


{#
  SQL: the zone (IANA name) of a listen that came from the country `conn_country_col` (an ISO 3166-1 alpha-2
  code column or expression, e.g. Spotify's conn_country): that country's zone when it is not the home zone's
  country and has one zone (seed country_timezones: zones_in_country = 1), else listener_timezone().
  A null, unknown ('ZZ') or home country, or one with several zones (US, RU, AU, BR), gives the home zone.
  A home zone with no country (UTC, Etc/GMT-1) makes every one-zone country a journey.
  A scalar subquery per row, which DuckDB runs as one hash join (about 0.1 s more per million rows).
#}
{% macro local_timezone(conn_country_col) %}
    {%- set zone = sql_string(listener_timezone()) -%}
    {%- set zones = ref('country_timezones') -%}
    coalesce((
        select travel.timezone
        from {{ zones }} as travel
        where travel.country_code = upper({{ conn_country_col }})
            and travel.zones_in_country = 1
            and travel.alias_of is null
            and travel.country_code is distinct from (
                select home.country_code from {{ zones }} as home where home.timezone = {{ zone }}
            )
    ), {{ zone }})
{% endmacro %}


{#
  SQL: the wall-clock TIMESTAMP (no time zone) of the UTC TIMESTAMP `ts_col` (as the history stores it) where
  the listener was: local_timezone(conn_country_col), or listener_timezone() with no conn_country_col.
  timezone('UTC', ts) reads the naive value as UTC (a TIMESTAMPTZ, whatever the session's zone);
  timezone(zone, tstz) gives the wall clock in that zone.
#}
{% macro local_time(ts_col, conn_country_col=none) %}
    {%- if conn_country_col is none -%}
        timezone({{ sql_string(listener_timezone()) }}, timezone('UTC', {{ ts_col }}))
    {%- else -%}
        timezone({{ local_timezone(conn_country_col) }}, timezone('UTC', {{ ts_col }}))
    {%- endif -%}
{% endmacro %}
