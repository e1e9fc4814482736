"""The registry of sources, in the order ``all`` runs them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from extractors import geo, musicbrainz, spotify
from extractors.catalog import Catalog
from extractors.config import Settings
from extractors.run import RunOptions, SourceResult


@dataclass(frozen=True)
class Source:
    name: str
    help: str
    endpoints: tuple[str, ...]
    check_config: Callable[[Settings], str | None]
    extract: Callable[[Settings, Catalog, RunOptions, str], SourceResult]
    missing: Callable[[Catalog, str, bool], list[str]]
    raw_source: str = ""  # the folder under raw/ (default: the name)
    # False for a source that runs without any setting (geo: the offline gazetteer needs no key)
    needs_config: bool = True

    @property
    def raw(self) -> str:
        return self.raw_source or self.name


SOURCES: dict[str, Source] = {
    "spotify": Source(
        name="spotify",
        help="Spotify tracks, artists and albums referenced by the history",
        endpoints=tuple(e.name for e in spotify.ENDPOINTS),
        check_config=spotify.check_config,
        extract=spotify.extract,
        missing=spotify.missing_keys,
    ),
    "musicbrainz": Source(
        name="musicbrainz",
        help="MusicBrainz artists (matched by history MBID, ISRC, Spotify URL or name) and their areas",
        endpoints=musicbrainz.ENDPOINTS,
        check_config=musicbrainz.check_config,
        extract=musicbrainz.extract,
        missing=musicbrainz.missing_keys,
    ),
    "geo": Source(
        name="geo",
        help="Coordinates of every artist's city: the offline gazetteer first, OpenWeather for the rest",
        endpoints=geo.ENDPOINTS,
        check_config=geo.check_config,
        extract=geo.extract,
        missing=geo.missing_keys,
        raw_source=geo.SOURCE,
        needs_config=False,
    ),
}
