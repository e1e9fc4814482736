"""One package per source: its settings check, endpoints, the SQL that says what is missing, its client, and
a ``source.py`` that registers it (extractors/registry.py). docs/adding-a-source.md walks through one."""
