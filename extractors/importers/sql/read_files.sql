-- Every raw row of the files bound as $files (one detected format and layout), every column as the format
-- reads it (text but a ListenBrainz track_metadata), with the file it came from (filename).
-- A CSV (layout csv): column_count columns c0, c1, … after skip comment lines and the header if there is one.
-- JSON (layout array or newline_delimited): the columns json_columns names, with their types.
{%- if layout == 'csv' %}
select *
from read_csv(
    $files,
    header = {{ 'true' if header else 'false' }},
    skip = {{ skip | int }},
    columns = { {%- for index in range(column_count) %}'c{{ index }}': 'varchar'{{ ", " if not loop.last }}{% endfor -%} },
    auto_detect = false,
    delim = {{ literal(delimiter) }},
    quote = '"',
    escape = '"',
    filename = true
)
{%- else %}
select *
from read_json(
    $files,
    format = {{ literal(layout) }},
    columns = { {%- for name, type in json_columns.items() %}{{ literal(name) }}: {{ literal(type) }}{{ ", " if not loop.last }}{% endfor -%} },
    filename = true
)
{%- endif %}
