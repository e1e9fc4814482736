-- --strict: the first malformed row (by file and row) with its problem, and how many rows are malformed.
select
    file_no,
    row_no,
    problem,
    count(*) over () as malformed
from import_staged
where problem is not null
order by file_no, row_no
limit 1
