"""The SQL the extractors run, read from ``.sql`` files beside the code that runs it (linted like the models).

A file is a jinja template rendered with the rule macros of the dbt project (extractors/rules.py), so a query
can call ``{{ normalized_name('n') }}`` as a model does; the values it needs (``{{ done }}``, a key pattern)
are passed by the caller. The common ones live in ``extractors/sql/``, a source's own in
``extractors/sources/<name>/sql/``, the history importers' in ``extractors/importers/sql/``.

Besides the rule macros, every query sees the macros of :data:`MACRO_FILES`: ``literal``/``literals`` (a value
passed by the caller as a quoted SQL string or list; never paste user text into SQL any other way), the
importers' value parsers (``text``, ``flag``, ``milliseconds``, ``epoch_to_timestamp``, …) and the history's
``play_key_text`` (the star schema's own macro).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from extractors import rules

COMMON = Path(__file__).resolve().parent / "sql"
# the macro files every query sees, besides the rule macros (extractors/rules.py)
MACRO_FILES = (
    COMMON / "_literals.sql",
    COMMON.parent / "importers" / "sql" / "_values.sql",
    rules.ROOT / "macros" / "star_schema.sql",  # play_key_text: the history's play key
)


@cache
def macros() -> dict[str, Any]:
    """The macros of :data:`MACRO_FILES` by name."""
    found: dict[str, Any] = {}
    for path in MACRO_FILES:
        found.update(rules.macros_in(rules.environment(), path))
    return found


@cache
def template(path: Path) -> jinja2.Template:
    return rules.environment().from_string(path.read_text(encoding="utf-8"), globals=macros())


def render(path: Path, /, **values: object) -> str:
    """The SQL of one file, rendered with ``values``; a value the file names but is not given is an error."""
    return template(path).render(**values).strip().rstrip(";")


def common(name: str, /, **values: object) -> str:
    """One of the queries every source uses (extractors/sql/<name>.sql)."""
    return render(COMMON / f"{name}.sql", **values)


def of(module_file: str, name: str, /, **values: object) -> str:
    """A source's own query: ``<its package>/sql/<name>.sql`` for ``of(__file__, name)``."""
    return render(Path(module_file).resolve().parent / "sql" / f"{name}.sql", **values)


def macro(name: str, *args: object) -> str:
    """What one macro of :data:`MACRO_FILES` expands to, e.g. ``macro('literal', path)`` for a one-line query."""
    return str(macros()[name](*args)).strip()
