-- The raw rows of one format's files (import_raw) with their file's number and video mark (import_files) and
-- their 1-based position in the file (row_no; the import preserves insertion order), for the stage selects.
create or replace temp view import_rows as
select
    files.file_no,
    files.video,
    raw.rowid - min(raw.rowid) over (partition by raw.filename) + 1 as row_no,
    raw.* exclude (raw.filename)
from import_raw as raw
inner join import_files as files on raw.filename = files.alias
