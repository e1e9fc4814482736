-- The table every format's stage select is inserted into (by name): file_no, row_no, skip_reason, problem and
-- the contract's columns, as `columns` gives them (name: type).
create or replace temp table import_staged (
{%- for name, type in columns.items() %}
    {{ name }} {{ type }}{{ "," if not loop.last }}
{%- endfor %}
)
