"""The registry of sources: one package per source under ``extractors/sources/``, in the order ``all`` runs
them. Everything that goes over every source (the CLI's commands, ``all``, ``status``, the demo's fake
servers) reads this list; docs/adding-a-source.md says what a new source touches.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from extractors.catalog import Catalog
    from extractors.config import Settings
    from extractors.run import RunOptions, SourceResult

# The packages of extractors/sources/, in the order `all` runs them: each one's answers feed the next.
PACKAGES = ("spotify", "musicbrainz", "openweather")


@dataclass(frozen=True)
class Source:
    """A source as the CLI, ``all`` and ``status`` see it; its package's ``source.py`` makes one.

    ``name`` is the one name of the source everywhere: its command, its folder under ``raw/``, its raw
    relations (``<name>_<endpoint>``), its staging models (``stg_<name>__*``) and its settings' prefix.
    """

    name: str
    help: str  # the command's help: first line short, then the details
    endpoints: tuple[str, ...]  # raw/<name>/<endpoint>/, in the order the source fetches them
    check_config: Callable[[Settings], str | None]  # None when ready, else the line saying what to set
    extract: Callable[[Settings, Catalog, RunOptions, str], SourceResult]
    missing: Callable[[Catalog, str, bool], list[str]]  # (catalog, endpoint, retry_not_found) -> keys
    # False for a source that runs without any setting (openweather: the offline gazetteer needs no key)
    needs_config: bool = True
    aliases: tuple[str, ...] = ()  # older command names that keep working (hidden from --help)
    commands: tuple[click.Command, ...] = ()  # the source's own commands beyond extraction
    status_lines: Callable[[Settings], list[str]] = field(default=lambda settings: [])
    # lines under the source's endpoint table, from what is landed (only when there is a history)
    catalog_lines: Callable[[Catalog], list[str]] = field(default=lambda catalog: [])


@cache
def sources() -> dict[str, Source]:
    """Every source by name, in the order ``all`` runs them."""
    found = [importlib.import_module(f"extractors.sources.{package}.source").SOURCE for package in PACKAGES]
    return {source.name: source for source in found}
