{% macro renamed_models() %}
  {#- Models renamed since a warehouse may have been built: former name -> current name. A former name is never
      reused, so whatever relation still carries one is stale. -#}
  {{ return({
      'int_mbz_artists': 'int_musicbrainz__artists_deduplicated',
      'int_mbz_spotify_artist_map': 'int_musicbrainz__spotify_artists_matched',
      'int_mbz_name_artist_map': 'int_musicbrainz__artist_names_matched',
      'int_mbz_area_parents': 'int_musicbrainz__area_parents_ranked',
      'int_geo_params': 'int_openweather__geocode_queries_parsed',
      'int_geo_city_candidates': 'int_openweather__city_candidates_ranked',
      'int_listens__rows': 'int_listens__rows_deduplicated',
      'int_listens__merged': 'int_listens__rows_matched_to_listens',
      'int_listens': 'int_listens__rows_combined_into_listens',
      'int_star__plays': 'int_plays_resolved',
      'int_star__artists': 'int_artists_combined',
      'int_star__artist_genres': 'int_artist_genres_ranked',
  }) }}
{% endmacro %}


{% macro drop_renamed_relations() %}
  {#-
    on-run-start hook (dbt_project.yml): dbt never drops a relation it no longer builds, so a warehouse built
    before a model was renamed (renamed_models() above) keeps a stale copy under the former name, one nobody
    should query: in schema `intermediate`, or in `main` for a warehouse older than the schemas
    (drop_relations_moved_out_of_main). Those are dropped here, and nothing else: only a relation of a schema
    of this project whose name is a former name that is no model or seed of it.
  -#}
  {%- if execute -%}
    {%- set current = [] -%}
    {%- set schemas = [sql_string(target.schema)] -%}
    {%- for node in graph.nodes.values() if node.resource_type in ('model', 'seed') -%}
      {%- do current.append((node.alias or node.name) | lower) -%}
      {%- if sql_string(node.schema) not in schemas -%}
        {%- do schemas.append(sql_string(node.schema)) -%}
      {%- endif -%}
    {%- endfor -%}
    {%- set renamed = renamed_models() -%}
    {%- set former = [] -%}
    {%- for name in renamed if name not in current -%}
      {%- do former.append(sql_string(name)) -%}
    {%- endfor -%}
    {%- if former -%}
      {%- set found = run_query(
          "select table_schema, table_name, table_type from information_schema.tables "
          ~ "where table_catalog = current_database() "
          ~ "and table_schema in (" ~ schemas | join(', ') ~ ") "
          ~ "and lower(table_name) in (" ~ former | join(', ') ~ ")"
      ) -%}
      {%- for row in found.rows -%}
        {%- set kind = 'view' if row[2] == 'VIEW' else 'table' -%}
        {%- do run_query('drop ' ~ kind ~ ' if exists "' ~ row[0] ~ '"."' ~ row[1] ~ '"') -%}
        {{ log(row[0] ~ '.' ~ row[1] ~ ': dropped (now ' ~ renamed[row[1] | lower] ~ ')', info=true) }}
      {%- endfor -%}
    {%- endif -%}
  {%- endif -%}
{% endmacro %}
