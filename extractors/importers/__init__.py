"""``python -m extractors import``: listening-history exports into ``tracks_played``, each listen once.

Formats are recognised by content (``detect``), parsed by DuckDB (``formats``), collected from files, folders
and zips (``inputs``), appended with ``extractors.history.append_plays`` (``pipeline``) and counted
(``report``). docs/importing.md says what each format gives and what is skipped.
"""

from extractors.importers.pipeline import import_paths
from extractors.importers.report import ImportReport

__all__ = ["ImportReport", "import_paths"]
