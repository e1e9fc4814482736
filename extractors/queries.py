"""The SQL the extractors run, read from ``.sql`` files beside the code that runs it (linted like the models).

A file is a jinja template rendered with the rule macros of the dbt project (extractors/rules.py), so a query
can call ``{{ normalized_name('n') }}`` as a model does; the values it needs (``{{ done }}``, a key pattern)
are passed by the caller. The common ones live in ``extractors/sql/``, a source's own in
``extractors/sources/<name>/sql/``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from extractors import rules

COMMON = Path(__file__).resolve().parent / "sql"


@cache
def template(path: Path) -> jinja2.Template:
    return rules.environment().from_string(path.read_text(encoding="utf-8"))


def render(path: Path, **values: object) -> str:
    """The SQL of one file, rendered with ``values``; a value the file names but is not given is an error."""
    return template(path).render(**values).strip().rstrip(";")


def common(name: str, **values: object) -> str:
    """One of the queries every source uses (extractors/sql/<name>.sql)."""
    return render(COMMON / f"{name}.sql", **values)


def of(module_file: str, name: str, **values: object) -> str:
    """A source's own query: ``<its package>/sql/<name>.sql`` for ``of(__file__, name)``."""
    return render(Path(module_file).resolve().parent / "sql" / f"{name}.sql", **values)
