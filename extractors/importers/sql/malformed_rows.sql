-- Per file: how many rows are malformed, the first {{ named_rows }} of them (row_no) and the first one's problem.
select
    file_no,
    count(*) as malformed,
    list(row_no order by row_no)[1:{{ named_rows | int }}] as first_rows,
    arg_min(problem, row_no) as first_problem
from import_staged
where problem is not null
group by file_no
